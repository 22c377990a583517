using System.CommandLine;

namespace PvMonitor.Cli;

/// <summary><c>pvmonitor train</c>: train an SDGM (or an MLP/MLR baseline) from a CSV file.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "Training CSV (e.g. from 'pvmonitor simulate'). Rows with an empty label are unlabeled.", Required = true };
        var model = new Option<string>("--model") { Description = "Model kind: sdgm, mlp or mlr.", DefaultValueFactory = _ => "sdgm" };
        model.OneOf("sdgm", "mlp", "mlr");
        var output = new Option<DirectoryInfo>("--out") { Description = "Model directory to write (manifest.json + weights).", Required = true };
        var features = new Option<string>("--features") { Description = "complex (I,V,G,TExt,TMod,W), simple (I,V) or a comma list of numeric columns.", DefaultValueFactory = _ => "complex" };
        var labelColumn = new Option<string>("--label-column") { Description = "Column holding the class label.", DefaultValueFactory = _ => "label" };
        var labelsPerClass = new Option<string>("--labels-per-class") { Description = "Keep N random labels per class (the rest become unlabeled), or 'all'.", DefaultValueFactory = _ => "all" };
        var classes = new Option<string?>("--classes") { Description = "Train only on these classes (comma list); rows of other classes are dropped. Default: all classes in the data." };
        var epochs = new Option<int>("--epochs") { Description = "Maximum epochs (early stopping may end sooner).", DefaultValueFactory = _ => 200 };
        var seed = CommonOptions.Seed();
        var command = new Command("train", "Train a condition classifier and anomaly detector: the SDGM (semi-supervised VAE of Maaløe et al.) or the MLP / MLR baselines.")
        {
            data, model, output, features, labelColumn, labelsPerClass, classes, epochs, seed,
        };
        command.Validators.Add(r =>
        {
            var lpc = r.GetValue(labelsPerClass);
            if (lpc is not null && lpc != "all" && (!int.TryParse(lpc, out var n) || n < 1))
                r.AddError($"--labels-per-class must be a positive integer or 'all' (was '{lpc}').");
            if (CommonOptions.TryGiven(r, epochs, out var epochsValue) && epochsValue is < 1 or > 100_000) r.AddError("--epochs must be 1–100000.");
        });
        command.SetAction(pr => PvMonitorCli.NotImplemented("train", pr.InvocationConfiguration.Error));
        return command;
    }
}
