using System.CommandLine;

namespace PvMonitor.Cli;

/// <summary><c>pvmonitor experiment paper</c>: the three experiments of the PV paper (Table III, Fig. 7, Fig. 8) on our data.</summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Experiment to run: paper (Table III, Fig. 7 and Fig. 8 of Appendix D)." };
        name.AcceptOnlyFromAmong("paper");
        var data = new Option<FileInfo>("--data") { Description = "Labelled CSV (e.g. 'pvmonitor simulate --days 60 --conditions paper').", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for report.md, results.json and the figures.", Required = true };
        var folds = new Option<int>("--folds") { Description = "Monte-Carlo cross-validation splits (80/20) for Table III.", DefaultValueFactory = _ => 5 };
        var repeats = new Option<int>("--repeats") { Description = "Repeats per label budget for Fig. 7.", DefaultValueFactory = _ => 10 };
        var seed = CommonOptions.Seed();
        var command = new Command("experiment", "Reproduce the PV paper's experiments on a dataset and write a report with tables and figures.")
        {
            name, data, output, folds, repeats, seed,
        };
        command.Validators.Add(r =>
        {
            if (CommonOptions.TryGiven(r, folds, out var foldsValue) && foldsValue is < 1 or > 100) r.AddError("--folds must be 1–100.");
            if (CommonOptions.TryGiven(r, repeats, out var repeatsValue) && repeatsValue is < 1 or > 100) r.AddError("--repeats must be 1–100.");
        });
        command.SetAction(pr => PvMonitorCli.NotImplemented("experiment", pr.InvocationConfiguration.Error));
        return command;
    }
}
