using System.CommandLine;
using PvMonitor.Domain.Conditions;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Training;

namespace PvMonitor.Cli;

/// <summary><c>pvmonitor train</c>: train an SDGM (or an MLP/MLR baseline) from a CSV file.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "Training CSV (e.g. from 'pvmonitor simulate'). Rows with an empty label are unlabeled.", Required = true };
        var model = new Option<string>("--model") { Description = "Model kind: sdgm, mlp or mlr.", DefaultValueFactory = _ => "sdgm" };
        model.OneOf("sdgm", "mlp", "mlr");
        var output = new Option<DirectoryInfo>("--out") { Description = "Model directory to write (manifest.json + weights.pt); replaced if it exists.", Required = true };
        var features = new Option<string>("--features") { Description = "complex (I,V,G,TExt,TMod,W), simple (I,V) or a comma list of numeric columns.", DefaultValueFactory = _ => "complex" };
        var labelColumn = new Option<string>("--label-column") { Description = "Column holding the class label.", DefaultValueFactory = _ => "label" };
        var labelsPerClass = new Option<string>("--labels-per-class") { Description = "Keep N random labels per class (the rest become unlabeled), or 'all'.", DefaultValueFactory = _ => "all" };
        var classes = new Option<string?>("--classes") { Description = "Train only on these classes (comma list); rows of other classes are dropped. Default: all classes in the data." };
        var epochs = new Option<int>("--epochs") { Description = "Maximum epochs (early stopping may end sooner).", DefaultValueFactory = _ => 200 };
        var seed = CommonOptions.Seed();
        var defaults = new SdgmOptions();
        var learningRate = new Option<float?>("--learning-rate") { Description = $"Adam learning rate. Default {defaults.LearningRate} (sdgm), 1e-3 (mlp), 1e-2 (mlr)." };
        var beta = new Option<float>("--beta") { Description = "SDGM: β in α = β·(N_l+N_u)/N_l, the weight of the classification term.", DefaultValueFactory = _ => defaults.Beta };
        var latent = new Option<string>("--latent") { Description = "SDGM: sizes of z1 and z2 as Z1,Z2.", DefaultValueFactory = _ => $"{defaults.Z1},{defaults.Z2}" };
        var batch = new Option<string>("--batch") { Description = "SDGM: labeled and unlabeled rows per step as L,U (each unlabeled row is evaluated for all classes); mlp/mlr use L.", DefaultValueFactory = _ => $"{defaults.LabeledBatch},{defaults.UnlabeledBatch}" };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var warmup = new Option<int>("--warmup") { Description = "SDGM: epochs of linear KL warm-up (0 = none).", DefaultValueFactory = _ => defaults.WarmupEpochs };
        var command = new Command("train", "Train a condition classifier and anomaly detector: the SDGM (semi-supervised VAE of Maaløe et al.) or the MLP / MLR baselines.")
        {
            data, model, output, features, labelColumn, labelsPerClass, classes, epochs, seed, learningRate, beta, latent, batch, warmup, device, threads,
        };
        command.Validators.Add(r =>
        {
            var lpc = r.GetValue(labelsPerClass);
            if (lpc is not null && lpc != "all" && (!int.TryParse(lpc, out var n) || n < 1))
                r.AddError($"--labels-per-class must be a positive integer or 'all' (was '{lpc}').");
            if (CommonOptions.TryGiven(r, epochs, out var epochsValue) && epochsValue is < 1 or > 100_000) r.AddError("--epochs must be 1–100000.");
            if (CommonOptions.TryGiven(r, learningRate, out var lr) && lr is not (> 0 and < 1)) r.AddError("--learning-rate must be in (0, 1).");
            if (CommonOptions.TryGiven(r, beta, out var b) && b is < 0 or > 1e6f) r.AddError("--beta must be 0–1e6.");
            if (CommonOptions.TryGiven(r, batch, out var bs) && ParsePair(bs, 1, 1_000_000) is null) r.AddError($"--batch must be L,U with sizes ≥ 1 (was '{bs}').");
            if (CommonOptions.TryGiven(r, warmup, out var w) && w < 0) r.AddError("--warmup must be ≥ 0.");
            CommonOptions.ValidateThreads(r, threads);
            if (CommonOptions.TryGiven(r, latent, out var l) && ParseLatent(l) is null) r.AddError($"--latent must be Z1,Z2 with sizes 1–512 (was '{l}').");
        });
        command.SetAction(async (pr, ct) =>
        {
            var file = pr.GetRequiredValue(data);
            IReadOnlyList<string> featureNames;
            try
            {
                featureNames = FeatureSets.Parse(pr.GetValue(features)!);
            }
            catch (ArgumentException ex)
            {
                throw new CliException("--features: " + ex.Message);
            }

            var torchDevice = CommonOptions.ApplyTorch(pr, device, threads);
            var kind = pr.GetValue(model)!;
            var table = DataFiles.ReadCsv(file, featureNames, pr.GetValue(labelColumn));
            var lpc = pr.GetValue(labelsPerClass);
            int maxEpochs = pr.GetValue(epochs);
            var (labeledBatch, unlabeledBatch) = ParsePair(pr.GetValue(batch), 1, 1_000_000) ?? (100, 100);
            var request = new TrainRequest
            {
                Kind = kind,
                Classes = CommonOptions.SplitList(pr.GetValue(classes)) is { Length: > 0 } list ? list : null,
                PreferredClassOrder = ConditionCatalog.Paper.Select(c => c.Code).ToArray(),
                LabelsPerClass = lpc is null or "all" ? null : int.Parse(lpc, System.Globalization.CultureInfo.InvariantCulture),
                Seed = (ulong)pr.GetValue(seed),
                Sdgm = SdgmOptionsFrom(pr, maxEpochs, learningRate, beta, latent) with
                {
                    LabeledBatch = labeledBatch,
                    UnlabeledBatch = unlabeledBatch,
                    WarmupEpochs = pr.GetValue(warmup),
                },
                Classifier = ClassifierOptionsFrom(kind, maxEpochs, pr.GetValue(learningRate)) with { Batch = labeledBatch },
                Created = TimeProvider.System.GetUtcNow(),
                Device = torchDevice,
                TrainingDataHash = DataFiles.Sha256(file),
            };

            IConditionModel trained;
            try
            {
                trained = await ConsoleProgress.RunAsync($"train {kind}", progress => Task.Run(() =>
                    ConditionModelTrainer.Train(table, request, new EpochReporter(progress), ct), ct));
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message);
            }

            var dir = pr.GetRequiredValue(output);
            ModelDirectory.Save(dir.FullName, trained);
            var m = trained.Manifest;
            var stdout = pr.InvocationConfiguration.Output;
            stdout.WriteLine($"model {m.Version} ({m.Kind}) written to {dir.FullName}");
            stdout.WriteLine($"  rows {m.Metrics["rows"]}, labeled {m.Metrics["labeled_rows"]}, classes {string.Join(",", m.Classes)}, features {string.Join(",", m.Features)}");
            stdout.WriteLine($"  epochs {m.Metrics["epochs_run"]} (best {m.Metrics["best_epoch"]}), {m.Metrics["train_seconds"]} s"
                + (m.Metrics.TryGetValue("validation_accuracy", out var acc) ? $", validation accuracy {acc:0.0000}" : ""));
            if (m.Threshold is { } t) stdout.WriteLine($"  anomaly threshold {t.Elbo:0.00} nats (p{t.Percentile} of training ELBOs)");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static SdgmOptions SdgmOptionsFrom(ParseResult pr, int epochs, Option<float?> learningRate, Option<float> beta, Option<string> latent)
    {
        var (z1, z2) = ParseLatent(pr.GetValue(latent)) ?? (8, 8);
        var options = new SdgmOptions { Epochs = epochs, Beta = pr.GetValue(beta), Z1 = z1, Z2 = z2 };
        return pr.GetValue(learningRate) is float lr ? options with { LearningRate = lr } : options;
    }

    private static Learning.Models.Classifiers.ClassifierOptions ClassifierOptionsFrom(string kind, int epochs, float? learningRate)
    {
        var options = (kind == "mlp" ? Learning.Models.Classifiers.ClassifierOptions.Mlp : Learning.Models.Classifiers.ClassifierOptions.Mlr) with { Epochs = epochs };
        return learningRate is float lr ? options with { LearningRate = lr } : options;
    }

    private static (int Z1, int Z2)? ParseLatent(string? value) => ParsePair(value, 1, 512);

    private static (int A, int B)? ParsePair(string? value, int min, int max)
    {
        var parts = CommonOptions.SplitList(value);
        return parts.Length == 2 && int.TryParse(parts[0], out var a) && int.TryParse(parts[1], out var b) && a >= min && a <= max && b >= min && b <= max
            ? (a, b) : null;
    }

    /// <summary>Turns epoch reports into (fraction, status) with an ETA.</summary>
    private sealed class EpochReporter(IProgress<(double Fraction, string Status)> inner) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            var perEpoch = p.Elapsed / p.Epoch;
            var eta = perEpoch * (p.MaxEpochs - p.Epoch);
            var accuracy = double.IsNaN(p.ValidationAccuracy) ? "" : $" val acc {p.ValidationAccuracy:0.000}";
            var elbo = double.IsNaN(p.ValidationElbo) ? "" : $" val elbo {p.ValidationElbo:0.0}";
            inner.Report(((double)p.Epoch / p.MaxEpochs, $"epoch {p.Epoch}/{p.MaxEpochs} loss {p.Loss:0.000}{accuracy}{elbo}{(p.IsBest ? " *" : "")} ETA≤{eta:h\\:mm\\:ss}"));
        }
    }
}
