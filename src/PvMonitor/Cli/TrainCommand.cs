using System.CommandLine;
using PvMonitor.Domain.Conditions;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Training;

namespace PvMonitor.Cli;

/// <summary><c>pvmonitor train</c>: train an SDGM, one of the seeds' other latent models (m2, adgm, cagem) or an MLP/MLR baseline from a CSV file.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "Training CSV (e.g. from 'pvmonitor simulate'). Rows with an empty label are unlabeled.", Required = true };
        var model = new Option<string>("--model")
        {
            Description = "Model kind: " + string.Join("; ", ModelKinds.All.Select(k => $"{k.Name} ({k.Description})")) + ". Default sdgm.",
            DefaultValueFactory = _ => ModelKinds.Sdgm,
        };
        model.OneOf(ModelKinds.Names.ToArray());
        var prior = new Option<string>("--prior") { Description = $"Prior of the top latent z2 ({string.Join(", ", ModelKinds.All.Where(k => k.SupportsVampPrior).Select(k => k.Name))}): standard (N(0, I); default) or vamp (the VampPrior: a mixture of the model's posteriors at learnable pseudo-inputs, initialised from seeded random training rows)." };
        prior.OneOf("standard", "vamp");
        var pseudoInputs = new Option<int?>("--pseudo-inputs") { Description = $"With --prior vamp: number of pseudo-inputs K, 1–10000. Default {SdgmOptions.DefaultPseudoInputs}." };
        var consistency = new Option<double?>("--consistency") { Description = $"Weight of the inverted-VAE consistency term E[log q(y|x̂)] (the classifier must recognise what the generator makes for each class; {string.Join(", ", ModelKinds.All.Where(k => k.SupportsConsistency).Select(k => k.Name))}), 0–1e6. Default 0 (off)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Model directory to write (manifest.json + weights.pt); replaced if it exists.", Required = true };
        var features = new Option<string>("--features") { Description = "complex (I,V,G,TExt,TMod,W), simple (I,V) or a comma list of numeric columns.", DefaultValueFactory = _ => "complex" };
        var labelColumn = new Option<string>("--label-column") { Description = "Column holding the class label.", DefaultValueFactory = _ => "label" };
        var labelsPerClass = new Option<string>("--labels-per-class") { Description = "Keep N random labels per class (the rest become unlabeled), or 'all'; 0 (no labels: y becomes a learned cluster) only with --model cagem.", DefaultValueFactory = _ => "all" };
        var classes = new Option<string?>("--classes") { Description = "Train only on these classes (comma list); rows of other classes are dropped. Default: all classes in the data." };
        var preset = new Option<string>("--preset") { Description = "Training settings: 'default' (the best measured across simulated and real plants: Adam 1e-3, β 1, robust scaling, early stopping on a smoothed validation score; MLP dropout 0.1) or 'paper' (the PV paper's: Adam 3e-4, β 0.1, standard scaling, raw validation accuracy with patience 20; MLP dropout 0.5). Flags below override it.", DefaultValueFactory = _ => "default" };
        preset.OneOf(TrainingPreset.All.Select(p => p.Name).ToArray());
        var epochs = new Option<int?>("--epochs") { Description = "Maximum epochs (early stopping may end sooner). Default 200." };
        var seed = CommonOptions.Seed();
        var defaults = TrainingPreset.Default;
        var learningRate = new Option<float?>("--learning-rate") { Description = $"Adam learning rate. Default {defaults.Sdgm.LearningRate} (sdgm), {defaults.Mlp.LearningRate} (mlp), {defaults.Mlr.LearningRate} (mlr); paper preset {TrainingPreset.Paper.Sdgm.LearningRate} (sdgm)." };
        var beta = new Option<float?>("--beta") { Description = $"Latent models: β in α = β·(N_l+N_u)/N_l, the weight of the classification term. Default {defaults.Sdgm.Beta} (paper preset {TrainingPreset.Paper.Sdgm.Beta})." };
        var latent = new Option<string?>("--latent") { Description = $"Latent models: sizes Z1,Z2 (sdgm/cagem z1 and z2; adgm a and z; m2 uses Z2 for z). Default {defaults.Sdgm.Z1},{defaults.Sdgm.Z2}." };
        var batch = new Option<string?>("--batch") { Description = $"Latent models: labeled and unlabeled rows per step as L,U (each unlabeled row is evaluated for all classes); mlp/mlr use L. Default {defaults.Sdgm.LabeledBatch},{defaults.Sdgm.UnlabeledBatch}." };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var warmup = new Option<int?>("--warmup") { Description = $"Latent models: epochs of linear KL warm-up (0 = none). Default {defaults.Sdgm.WarmupEpochs}." };
        var patience = new Option<int?>("--patience") { Description = $"Stop after this many epochs without a better smoothed validation score (0 = never). Default: about {StoppingSchedule.PatienceSteps:N0} optimizer steps' worth, at least {StoppingSchedule.MinPatience} epochs (paper preset 20)." };
        var scaling = new Option<string>("--scaling") { Description = "Input scaling: robust (median and interquartile range; default) or standard (mean and standard deviation; paper preset)." };
        scaling.OneOf("robust", "standard");
        var balance = new Option<bool>("--balance-labels") { Description = "Latent models: draw labelled batches evenly over the classes (a class with few labels is seen as often as the others; what retraining uses)." };
        var initFrom = new Option<DirectoryInfo?>("--init-from") { Description = "Fine-tune: start from this sdgm model's weights (same features; its classes first, classes new in the data added; its scaling and architecture kept, no KL warm-up) instead of fresh weights." };
        var snapshotRows = new Option<int>("--snapshot-rows-per-class") { Description = "Keep a training snapshot with the model: up to N labelled rows per class (seeded, stratified), which retraining replays so known conditions are not forgotten; 0 keeps none.", DefaultValueFactory = _ => TrainingSnapshot.DefaultRowsPerClass };
        var tune = new Option<string>("--tune") { Description = "Search the few settings that matter (learning rate, β or dropout) within this wall-clock budget (e.g. 90s, 20m, 2h) on the latest 20 % of rows (file order = time order), then train on all rows with the best; the search is recorded in the manifest. Default: off." };
        var command = new Command("train", "Train a condition classifier and anomaly detector: the SDGM (semi-supervised VAE of Maaløe et al.) or the MLP / MLR baselines.")
        {
            data, model, output, features, labelColumn, labelsPerClass, classes, preset, epochs, seed, learningRate, beta, latent, batch, warmup, patience, scaling, tune, device, threads, snapshotRows, initFrom, balance,
            prior, pseudoInputs, consistency,
        };
        command.Validators.Add(r =>
        {
            var kind = ModelKinds.Find(r.GetValue(model));
            var lpc = r.GetValue(labelsPerClass);
            if (lpc is not null && lpc != "all" && (!int.TryParse(lpc, out var n) || n < 0 || (n == 0 && kind?.Name != ModelKinds.Cagem)))
                r.AddError($"--labels-per-class must be a positive integer or 'all' (0, no labels at all, only with --model cagem) (was '{lpc}').");
            var vamp = r.GetValue(prior) == "vamp";
            if (vamp && kind is { SupportsVampPrior: false })
                r.AddError($"--prior vamp is available for {string.Join(" and ", ModelKinds.All.Where(k => k.SupportsVampPrior).Select(k => k.Name))}, not {kind.Name}.");
            if (CommonOptions.TryGiven(r, pseudoInputs, out var pi))
            {
                if (pi is < 1 or > 10_000) r.AddError($"--pseudo-inputs must be 1–10000 (was {pi}).");
                else if (!vamp) r.AddError("--pseudo-inputs needs --prior vamp.");
            }

            if (CommonOptions.TryGiven(r, consistency, out var cw))
            {
                if (cw is not (>= 0 and <= 1e6)) r.AddError($"--consistency must be 0–1e6 (was {cw}).");
                else if (cw > 0 && kind is { SupportsConsistency: false }) r.AddError($"--consistency is available for {string.Join(", ", ModelKinds.All.Where(k => k.SupportsConsistency).Select(k => k.Name))}, not {kind.Name}.");
            }

            if (CommonOptions.TryGiven(r, epochs, out var epochsValue) && epochsValue is < 1 or > 100_000) r.AddError("--epochs must be 1–100000.");
            if (CommonOptions.TryGiven(r, learningRate, out var lr) && lr is not (> 0 and < 1)) r.AddError("--learning-rate must be in (0, 1).");
            if (CommonOptions.TryGiven(r, beta, out var b) && b is < 0 or > 1e6f) r.AddError("--beta must be 0–1e6.");
            if (CommonOptions.TryGiven(r, batch, out var bs) && ParsePair(bs, 1, 1_000_000) is null) r.AddError($"--batch must be L,U with sizes ≥ 1 (was '{bs}').");
            if (CommonOptions.TryGiven(r, warmup, out var w) && w < 0) r.AddError("--warmup must be ≥ 0.");
            if (CommonOptions.TryGiven(r, patience, out var pt) && pt is < 0 or > 100_000) r.AddError("--patience must be 0–100000.");
            if (CommonOptions.TryGiven(r, tune, out var tb) && ParseBudget(tb) is null) r.AddError($"--tune must be a duration such as 90s, 20m or 2h, at most 7 days (was '{tb}').");
            CommonOptions.ValidateThreads(r, threads);
            if (CommonOptions.TryGiven(r, snapshotRows, out var sr) && sr is < 0 or > 1_000_000) r.AddError($"--snapshot-rows-per-class must be 0–1000000 (was {sr}).");
            if (CommonOptions.TryGiven(r, latent, out var l) && ParseLatent(l) is null) r.AddError($"--latent must be Z1,Z2 with sizes 1–512 (was '{l}').");
        });
        command.SetAction(async (pr, ct) =>
        {
            var file = pr.GetRequiredValue(data);
            var dir = pr.GetRequiredValue(output);
            // The model is written next to its final place and renamed into it: its parent folder must take new files.
            if (File.Exists(dir.FullName)) throw new CliException($"--out: '{dir.FullName}' is a file, not a model directory.");
            CliPaths.EnsureWritableFolder(Path.GetDirectoryName(dir.FullName)!, "--out");
            if (!file.Exists) throw new CliException($"--data: file '{file.FullName}' does not exist.");
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
            IConditionModel? parent = null;
            if (pr.GetValue(initFrom) is { } parentDir)
            {
                try
                {
                    parent = ModelDirectory.Load(CliPaths.ModelDirectory(parentDir.ToString(), "--init-from"), device: torchDevice);
                }
                catch (ModelFormatException ex)
                {
                    throw new CliException("--init-from: " + ex.Message);
                }
            }

            var kind = pr.GetValue(model)!;
            var table = DataFiles.ReadCsv(file, featureNames, pr.GetValue(labelColumn));
            var lpc = pr.GetValue(labelsPerClass);
            var settings = TrainingPreset.Find(pr.GetValue(preset)) ?? TrainingPreset.Default;
            var request = new TrainRequest
            {
                Kind = kind,
                Classes = CommonOptions.SplitList(pr.GetValue(classes)) is { Length: > 0 } list ? list : null,
                PreferredClassOrder = ConditionCatalog.Paper.Select(c => c.Code).ToArray(),
                LabelsPerClass = lpc is null or "all" ? null : int.Parse(lpc, System.Globalization.CultureInfo.InvariantCulture),
                Seed = (ulong)pr.GetValue(seed),
                Sdgm = SdgmOptionsFrom(pr, settings.Sdgm, epochs, learningRate, beta, latent, batch, warmup, patience) with
                {
                    BalancedLabels = pr.GetValue(balance),
                    Prior = ModelHyperparameters.ParsePrior(pr.GetValue(prior)),
                    PseudoInputs = pr.GetValue(prior) == "vamp" ? pr.GetValue(pseudoInputs) : null,
                    Consistency = pr.GetValue(consistency) ?? 0,
                },
                Classifier = ClassifierOptionsFrom(pr, settings.Classifier(kind), epochs, learningRate, batch, patience),
                Scaling = pr.GetValue(scaling) is { } sc ? (sc == "standard" ? InputScalingMethod.Standard : InputScalingMethod.Robust) : settings.Scaling,
                Created = TimeProvider.System.GetUtcNow(),
                Device = torchDevice,
                TrainingDataHash = DataFiles.Sha256(file),
                Parent = parent,
            };

            IConditionModel trained;
            try
            {
                var budget = ParseBudget(pr.GetValue(tune));
                trained = await ConsoleProgress.RunAsync(budget is null ? $"train {kind}" : $"tune {kind}", progress => Task.Run(() => budget is { } b
                    ? TrainingTuner.Train(table, request, b, new EpochReporter(progress), ct)
                    : ConditionModelTrainer.Train(table, request, new EpochReporter(progress), ct), ct),
                    pr.InvocationConfiguration.Error, etaLabel: "ETA≤"); // early stopping may end it sooner
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message);
            }

            var perClass = pr.GetValue(snapshotRows);
            ModelDirectory.Save(dir.FullName, trained, perClass > 0 ? TrainingSnapshot.Sample(table, perClass, request.Seed, trained.Classes.ToArray()) : null, Math.Max(1, perClass));
            var m = trained.Manifest;
            var stdout = pr.InvocationConfiguration.Output;
            stdout.WriteLine($"model {m.Version} ({m.Kind}{(m.Prior is { } pn ? $", {pn} prior" : "")}) written to {dir.FullName}");
            stdout.WriteLine($"  rows {m.Metrics["rows"]}, labeled {m.Metrics["labeled_rows"]}, classes {string.Join(",", m.Classes)}, features {string.Join(",", m.Features)}");
            stdout.WriteLine($"  epochs {m.Metrics["epochs_run"]} (best {m.Metrics["best_epoch"]}), {m.Metrics["train_seconds"]} s"
                + (m.Metrics.TryGetValue("validation_accuracy", out var acc) ? $", validation accuracy {acc:0.0000}" : ""));
            if (m.Tuning is { } tuned)
                stdout.WriteLine($"  tuned in {tuned.Seconds} s of {tuned.BudgetSeconds} s: chose {tuned.Chosen} of {string.Join(", ", tuned.Candidates.Select(c => $"{c.Name} ({(c.Accuracy is double a ? $"acc {a:0.0000}" : $"elbo {c.Elbo:0.00}")})"))}");
            if (m.Threshold is { } t) stdout.WriteLine($"  anomaly threshold {t.Elbo:0.00} nats (p{t.Percentile} of training ELBOs)");
            if (m.Thresholds is { Count: > 0 } all)
                stdout.WriteLine("  per-score thresholds (Model:AnomalyScore, evaluate --score): " + string.Join(", ", all.Select(kv => $"{kv.Key} {kv.Value.Value:0.00}")) + " nats");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static SdgmOptions SdgmOptionsFrom(ParseResult pr, SdgmOptions preset, Option<int?> epochs, Option<float?> learningRate, Option<float?> beta,
        Option<string?> latent, Option<string?> batch, Option<int?> warmup, Option<int?> patience)
    {
        var options = preset;
        if (pr.GetValue(epochs) is int e) options = options with { Epochs = e };
        if (pr.GetValue(learningRate) is float lr) options = options with { LearningRate = lr };
        if (pr.GetValue(beta) is float b) options = options with { Beta = b };
        if (ParseLatent(pr.GetValue(latent)) is var (z1, z2)) options = options with { Z1 = z1, Z2 = z2 };
        if (ParsePair(pr.GetValue(batch), 1, 1_000_000) is var (l, u)) options = options with { LabeledBatch = l, UnlabeledBatch = u };
        if (pr.GetValue(warmup) is int w) options = options with { WarmupEpochs = w };
        if (pr.GetValue(patience) is int p) options = options with { Patience = p };
        return options;
    }

    private static Learning.Models.Classifiers.ClassifierOptions ClassifierOptionsFrom(ParseResult pr, Learning.Models.Classifiers.ClassifierOptions preset,
        Option<int?> epochs, Option<float?> learningRate, Option<string?> batch, Option<int?> patience)
    {
        var options = preset;
        if (pr.GetValue(epochs) is int e) options = options with { Epochs = e };
        if (pr.GetValue(learningRate) is float lr) options = options with { LearningRate = lr };
        if (ParsePair(pr.GetValue(batch), 1, 1_000_000) is var (l, _)) options = options with { Batch = l };
        if (pr.GetValue(patience) is int p) options = options with { Patience = p };
        return options;
    }

    /// <summary>A duration such as 90s, 20m, 2h or a plain number of seconds; null when malformed or outside 1 s–7 days.</summary>
    internal static TimeSpan? ParseBudget(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        double unit = value[^1] switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 0 };
        var number = unit == 0 ? value : value[..^1];
        if (unit == 0) unit = 1;
        if (!double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n)) return null;
        double seconds = n * unit;
        return seconds is >= 1 and <= 7 * 86400 ? TimeSpan.FromSeconds(seconds) : null;
    }

    private static (int Z1, int Z2)? ParseLatent(string? value) => ParsePair(value, 1, 512);

    private static (int A, int B)? ParsePair(string? value, int min, int max)
    {
        var parts = CommonOptions.SplitList(value);
        return parts.Length == 2 && int.TryParse(parts[0], out var a) && int.TryParse(parts[1], out var b) && a >= min && a <= max && b >= min && b <= max
            ? (a, b) : null;
    }

    /// <summary>
    /// Turns epoch reports into (fraction, status): "epoch 23/200 loss 13.82 acc 0.969 elbo -6.0 *" (validation accuracy and
    /// ELBO, * = best so far). The ETA is <see cref="ConsoleProgress"/>'s, so there is one.
    /// </summary>
    internal sealed class EpochReporter(IProgress<(double Fraction, string Status)> inner) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            var accuracy = double.IsNaN(p.ValidationAccuracy) ? "" : $" acc {p.ValidationAccuracy:0.000}";
            var elbo = double.IsNaN(p.ValidationElbo) ? "" : $" elbo {p.ValidationElbo:0.0}";
            inner.Report(((double)p.Epoch / p.MaxEpochs, $"epoch {p.Epoch}/{p.MaxEpochs} loss {(Math.Abs(p.Loss) >= 1e4 ? p.Loss.ToString("0", System.Globalization.CultureInfo.InvariantCulture) : p.Loss.ToString("G4", System.Globalization.CultureInfo.InvariantCulture))}{accuracy}{elbo}{(p.IsBest ? " *" : "")}"));
        }
    }
}
