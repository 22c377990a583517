using System.CommandLine;

namespace PvMonitor.Cli;

/// <summary><c>pvmonitor evaluate</c>: accuracy, F1, confusion, ELBO and anomaly statistics of a model on a CSV file.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Model directory (with manifest.json).", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "Labelled CSV to evaluate on.", Required = true };
        var unseen = new Option<string?>("--unseen") { Description = "Classes the model never saw (comma list): excluded from accuracy, used for the anomaly AUROC." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (accuracy, macro_f1, per_class, confusion, elbo, anomaly, samples_per_second) instead of a table." };
        var command = new Command("evaluate", "Evaluate a trained model on a labelled CSV: accuracy, per-class precision/recall/F1, confusion matrix, ELBO statistics and anomaly detection of unseen classes.")
        {
            model, data, unseen, json,
        };
        command.SetAction(pr => PvMonitorCli.NotImplemented("evaluate", pr.InvocationConfiguration.Error));
        return command;
    }
}
