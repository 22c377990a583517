using System.CommandLine;
using System.Text.Json;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Training;
using PvMonitor.Monitoring.Operations;

namespace PvMonitor.Cli;

/// <summary><c>pvmonitor models</c>: inspect model directories and the model registry.</summary>
internal static class ModelsCommand
{
    /// <summary>The registry of --registry, else Data:Path/models of the service configuration.</summary>
    private static ModelRegistry Registry(ParseResult pr, Option<DirectoryInfo?> registry, Option<FileInfo?> config, Option<string[]> set)
    {
        if (pr.GetValue(registry) is { } folder) return new ModelRegistry(folder.FullName);
        var configuration = Hosting.ServiceConfiguration.Build(pr.GetValue(config), pr.GetValue(set) ?? []);
        return new ModelRegistry(Hosting.Options.DataOptions.FromConfiguration(configuration).Resolve(Hosting.PvMonitorServices.RegistryFolder));
    }

    public static Command Create()
    {
        var dir = new Argument<string>("model") { Description = "A model directory (with manifest.json; a relative one not in the working directory is looked up next to the executable, where the shipped models/default is), or a version in the model registry (see 'models list')." };
        var registryOption = new Option<DirectoryInfo?>("--registry") { Description = "Registry folder. Default: Data:Path/models from the service configuration (appsettings.json, --config, PVMON_ variables, --set)." };
        var config = CommonOptions.Config();
        var set = CommonOptions.Set();
        var show = new Command("show", "Print a model's manifest (JSON): kind, version, features, normalisation, classes, hyperparameters, seed, training-data hash, metrics, anomaly threshold, snapshot; for a registry version also its registry record (origin, parent, gate decision, validation report).")
        {
            dir, registryOption, config, set,
        };
        show.SetAction(pr =>
        {
            var given = pr.GetRequiredValue(dir);
            var output = pr.InvocationConfiguration.Output;
            try
            {
                if (!Directory.Exists(Path.GetFullPath(given)) && ModelRegistry.IsValidVersion(given) && Registry(pr, registryOption, config, set).Find(given) is { } entry)
                {
                    var both = new System.Text.Json.Nodes.JsonObject
                    {
                        ["manifest"] = JsonSerializer.SerializeToNode(entry.Manifest, ModelManifest.JsonOptions),
                        ["registry"] = JsonSerializer.SerializeToNode(entry.Record, ModelManifest.JsonOptions),
                        ["active"] = entry.IsActive,
                        ["path"] = entry.Path,
                    };
                    output.WriteLine(both.ToJsonString(ModelManifest.JsonOptions));
                    return ExitCodes.Ok;
                }

                var directory = CliPaths.ModelDirectory(given, "models show MODEL");
                output.WriteLine(JsonSerializer.Serialize(ModelManifestFile.ReadFromDirectory(directory), ModelManifest.JsonOptions));
                return ExitCodes.Ok;
            }
            catch (ModelFormatException ex)
            {
                throw new CliException(ex.Message, ExitCodes.Failure);
            }
        });

        var list = new Command("list", "List the versions in the model registry (oldest first), which one is active, and each one's origin and gate decision.") { registryOption, config, set };
        list.SetAction(pr =>
        {
            var registry = Registry(pr, registryOption, config, set);
            var entries = registry.List();
            var output = pr.InvocationConfiguration.Output;
            if (entries.Count == 0)
            {
                output.WriteLine($"No models in {registry.Root} yet: the worker imports Model:Path's model there when it starts.");
                return ExitCodes.Ok;
            }

            output.WriteLine($"Registry {registry.Root}");
            output.WriteLine($"  {"",1} {"version",-40} {"kind",-5} {"classes",-7} {"origin",-10} {"parent",-40} gate");
            foreach (var e in entries)
                output.WriteLine($"  {(e.IsActive ? "*" : " "),1} {e.Version,-40} {e.Manifest.Kind,-5} {e.Manifest.Classes.Count,-7} {e.Record.Origin,-10} {e.Record.Parent ?? "-",-40} {e.Record.Gate ?? "-"}");
            output.WriteLine("  * = active");
            return ExitCodes.Ok;
        });

        var version = new Argument<string>("version") { Description = "A version in the registry (see 'models list')." };
        var activate = new Command("activate", "Make a registry version the active one (checksums verified). A running worker picks it up when it restarts; POST /api/models/{version}/activate switches a running worker at once.")
        {
            version, registryOption, config, set,
        };
        activate.SetAction(pr =>
        {
            var registry = Registry(pr, registryOption, config, set);
            var wanted = pr.GetRequiredValue(version);
            try
            {
                var entry = registry.SetActive(wanted);
                pr.InvocationConfiguration.Output.WriteLine($"{entry.Version} is now the active model in {registry.Root}.");
                return ExitCodes.Ok;
            }
            catch (OperationRejectedException ex)
            {
                throw new CliException(ex.Message, ExitCodes.Usage);
            }
            catch (ModelFormatException ex)
            {
                throw new CliException($"Refused: {ex.Message}", ExitCodes.Failure);
            }
        });

        return new Command("models", "Inspect models and the registry: 'models show DIR|VERSION', 'models list', 'models activate VERSION', 'models snapshot DIR --data FILE', 'models thresholds DIR --data FILE'.")
        {
            show, list, activate, SnapshotCommand(), ThresholdsCommand(),
        };
    }

    /// <summary>
    /// <c>models thresholds DIR --data FILE</c>: calibrate the anomaly thresholds a model trained before per-score thresholds
    /// lacks (iw-elbo, lk), on its own training data, so <c>Model:AnomalyScore</c> and <c>evaluate --score</c> can use them.
    /// </summary>
    private static Command ThresholdsCommand()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Model directory (with manifest.json)." };
        var data = new Option<FileInfo>("--data") { Description = "The CSV the model was trained on: its SHA-256 must equal the manifest's trainingDataHash.", Required = true };
        var labelColumn = new Option<string>("--label-column") { Description = "Column holding the class label.", DefaultValueFactory = _ => "label" };
        var rows = new Option<int>("--rows") { Description = "Training rows to calibrate on (a seeded random subset above that; training uses 20,000).", DefaultValueFactory = _ => 20_000 };
        var seed = CommonOptions.Seed();
        var command = new Command("thresholds", "Add the anomaly thresholds a model lacks (one per score it computes: elbo, iw-elbo, lk), each at the percentile of the model's ELBO threshold of the score on its training rows, as training does. Existing thresholds and the weights are kept.")
        {
            dir, data, labelColumn, rows, seed,
        };
        command.Validators.Add(r =>
        {
            if (CommonOptions.TryGiven(r, rows, out var n) && n is < 10 or > 10_000_000) r.AddError($"--rows must be 10–10000000 (was {n}).");
        });
        command.SetAction(pr =>
        {
            var directory = CliPaths.ModelDirectory(pr.GetRequiredValue(dir).ToString(), "models thresholds DIR");
            var file = pr.GetRequiredValue(data);
            try
            {
                var manifest = ReadManifestForTrainingData(directory, file);
                if (manifest.ThresholdOf(AnomalyScore.Elbo) is not { } elbo)
                    throw new CliException($"models thresholds: {directory} is a {manifest.Kind} model, which has no anomaly score.");
                var table = DataFiles.ReadCsv(file, manifest.Features, pr.GetValue(labelColumn));
                int n = Math.Min(table.Rows, pr.GetValue(rows));
                var sample = n == table.Rows ? table : table.Select(Sampling.Permutation(table.Rows, new RandomSource((ulong)pr.GetValue(seed)))[..n]);
                var model = ModelDirectory.Load(directory);
                try
                {
                    var thresholds = new Dictionary<string, ScoreThreshold>(manifest.Thresholds ?? new Dictionary<string, ScoreThreshold>(), StringComparer.Ordinal);
                    thresholds.TryAdd(AnomalyScores.Name(AnomalyScore.Elbo), elbo);
                    var added = new List<string>();
                    foreach (var score in AnomalyScores.All.Where(s => AnomalyScores.Supports(model, s) && !thresholds.ContainsKey(AnomalyScores.Name(s))))
                    {
                        var (threshold, _) = ConditionModelTrainer.Calibrate(model, score, sample, elbo.Percentile);
                        thresholds[AnomalyScores.Name(score)] = threshold;
                        added.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{AnomalyScores.Name(score)} {threshold.Value:0.###} nats"));
                    }

                    if (added.Count == 0)
                    {
                        pr.InvocationConfiguration.Output.WriteLine($"{directory}: every score already has a threshold ({string.Join(", ", thresholds.Keys)}); nothing changed.");
                        return ExitCodes.Ok;
                    }

                    ModelManifestFile.Replace(directory, manifest with { Thresholds = thresholds });
                    pr.InvocationConfiguration.Output.WriteLine($"{directory}: added thresholds at the {elbo.Percentile} % percentile of {n} training rows: {string.Join(", ", added)}");
                    return ExitCodes.Ok;
                }
                finally
                {
                    (model as IDisposable)?.Dispose();
                }
            }
            catch (ModelFormatException ex)
            {
                throw new CliException(ex.Message, ExitCodes.Failure);
            }
        });
        return command;
    }

    /// <summary>The manifest of the model in <paramref name="directory"/>, after checking that <paramref name="file"/> is the
    /// CSV it was trained on (its SHA-256 is the manifest's training-data hash).</summary>
    private static ModelManifest ReadManifestForTrainingData(string directory, FileInfo file)
    {
        var manifest = ModelManifestFile.ReadFromDirectory(directory);
        var hash = DataFiles.Sha256(file);
        if (!string.Equals(hash, manifest.TrainingDataHash, StringComparison.OrdinalIgnoreCase))
            throw new CliException($"--data: '{file.FullName}' is not this model's training data (SHA-256 {hash[..12]}…, the manifest records {manifest.TrainingDataHash[..Math.Min(12, manifest.TrainingDataHash.Length)]}…).");
        return manifest;
    }

    /// <summary><c>models snapshot DIR --data FILE</c>: keep a training snapshot with a model trained before snapshots existed.</summary>
    private static Command SnapshotCommand()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Model directory (with manifest.json)." };
        var data = new Option<FileInfo>("--data") { Description = "The CSV the model was trained on: its SHA-256 must equal the manifest's trainingDataHash.", Required = true };
        var labelColumn = new Option<string>("--label-column") { Description = "Column holding the class label.", DefaultValueFactory = _ => "label" };
        var perClass = new Option<int>("--rows-per-class") { Description = "Most rows kept per class.", DefaultValueFactory = _ => TrainingSnapshot.DefaultRowsPerClass };
        var seed = CommonOptions.Seed();
        var command = new Command("snapshot", "Write the training snapshot (a stratified sample of the labelled training rows that retraining replays so known conditions are not forgotten) into a model directory trained before snapshots were kept. The weights are not changed.")
        {
            dir, data, labelColumn, perClass, seed,
        };
        command.Validators.Add(r =>
        {
            if (CommonOptions.TryGiven(r, perClass, out var n) && n is < 1 or > 1_000_000) r.AddError($"--rows-per-class must be 1–1000000 (was {n}).");
        });
        command.SetAction(pr =>
        {
            var directory = CliPaths.ModelDirectory(pr.GetRequiredValue(dir).ToString(), "models snapshot DIR");
            var file = pr.GetRequiredValue(data);
            try
            {
                var manifest = ReadManifestForTrainingData(directory, file);
                var table = DataFiles.ReadCsv(file, manifest.Features, pr.GetValue(labelColumn));
                var rows = pr.GetValue(perClass);
                var snapshot = TrainingSnapshot.Sample(table, rows, (ulong)pr.GetValue(seed));
                var written = ModelDirectory.AttachSnapshot(directory, snapshot, rows);
                pr.InvocationConfiguration.Output.WriteLine($"snapshot of {written.Snapshot!.Rows} rows (≤ {rows} per class of {string.Join(",", snapshot.DistinctLabels())}) written to {Path.Combine(directory, written.Snapshot.File)}");
                return ExitCodes.Ok;
            }
            catch (ModelFormatException ex)
            {
                throw new CliException(ex.Message, ExitCodes.Failure);
            }
        });
        return command;
    }
}
