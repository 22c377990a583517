using System.CommandLine;

namespace PvMonitor.Cli;

/// <summary><c>pvmonitor models</c>: inspect model directories and the model registry.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Model directory (with manifest.json)." };
        var show = new Command("show", "Print a model's manifest: features, normalisation, classes, hyperparameters, seed, data hash, metrics, anomaly threshold.") { dir };
        show.SetAction(pr => PvMonitorCli.NotImplemented("models show", pr.InvocationConfiguration.Error));

        var registry = new Option<DirectoryInfo?>("--registry") { Description = "Registry folder. Default: Data:Path/models." };
        var list = new Command("list", "List the versions in the model registry and which one is active.") { registry };
        list.SetAction(pr => PvMonitorCli.NotImplemented("models list", pr.InvocationConfiguration.Error));

        return new Command("models", "Inspect models: 'models show DIR', 'models list'.") { show, list };
    }
}
