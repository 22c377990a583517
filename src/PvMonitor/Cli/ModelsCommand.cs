using System.CommandLine;
using System.Text.Json;
using PvMonitor.Learning.Models;

namespace PvMonitor.Cli;

/// <summary><c>pvmonitor models</c>: inspect model directories and the model registry.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Model directory (with manifest.json); a relative one not in the working directory is looked up next to the executable, where the shipped models/default is." };
        var show = new Command("show", "Print a model's manifest (JSON): kind, version, features, normalisation, classes, hyperparameters, seed, training-data hash, metrics, anomaly threshold.") { dir };
        show.SetAction(pr =>
        {
            var directory = CliPaths.ModelDirectory(pr.GetRequiredValue(dir).ToString(), "models show DIR");
            ModelManifest manifest;
            try
            {
                manifest = ModelManifestFile.ReadFromDirectory(directory);
            }
            catch (ModelFormatException ex)
            {
                throw new CliException(ex.Message, ExitCodes.Failure);
            }

            pr.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(manifest, ModelManifest.JsonOptions));
            return ExitCodes.Ok;
        });

        var registry = new Option<DirectoryInfo?>("--registry") { Description = "Registry folder. Default: Data:Path/models." };
        var list = new Command("list", "List the versions in the model registry and which one is active.") { registry };
        list.SetAction(pr => PvMonitorCli.NotImplemented("models list", pr.InvocationConfiguration.Error));

        return new Command("models", "Inspect models: 'models show DIR', 'models list'.") { show, list };
    }
}
