using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Classifiers;
using PvMonitor.Learning.Models.Latent;
using PvMonitor.Learning.Models.Sdgm;

namespace PvMonitor.Learning.Training;

/// <summary>
/// From a raw table to a ready model: picks classes, encodes labels, subsamples labels per class, fits the
/// standardisation, trains the requested kind (<see cref="ModelKinds"/>), calibrates a latent model's anomaly thresholds (one per
/// <see cref="AnomalyScore"/> it computes) on training rows and writes the manifest (kind, prior, hyperparameters). The latent kinds (sdgm, m2, adgm, cagem) all
/// train on <see cref="TrainRequest.Sdgm"/>; only sdgm can be fine-tuned from a parent. A cagem may be trained with no
/// labels at all (<see cref="TrainRequest.LabelsPerClass"/> = 0): its K = the data's classes are then learned clusters.
/// </summary>
public static class ConditionModelTrainer
{
    /// <summary>Trains a model on <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">Unknown kind, no classes, a requested class absent from the data, or no labeled rows for a baseline.</exception>
    public static IConditionModel Train(TabularData data, TrainRequest request, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(request);
        var kind = ModelKinds.Find(request.Kind)
            ?? throw new ArgumentException($"Unknown model kind '{request.Kind}': expected {ModelKinds.NamesText}.", nameof(request));
        if (kind.IsLatent) LatentNetworkFactory.Check(kind, request.Sdgm);

        var present = data.DistinctLabels();
        SdgmModel? parent = null;
        if (request.Parent is { } given)
        {
            if (given.Manifest.Kind != request.Kind)
                throw new ArgumentException($"Fine-tuning needs a parent of the same kind (parent is {given.Manifest.Kind}, asked for {request.Kind}).", nameof(request));
            parent = given as SdgmModel ?? throw new ArgumentException($"Fine-tuning is available for {string.Join(", ", ModelKinds.All.Where(k => k.SupportsFineTuning).Select(k => k.Name))} models; a {request.Kind} model is trained from scratch.", nameof(request));
            if (!parent.Features.SequenceEqual(data.FeatureNames, StringComparer.Ordinal))
                throw new ArgumentException($"Fine-tuning needs the parent's features ({string.Join(",", parent.Features)}); the data has {string.Join(",", data.FeatureNames)}.", nameof(request));
        }

        IReadOnlyList<string> classes;
        if (parent is not null)
        {
            classes = parent.Classes.Concat(OrderClasses(present.Except(parent.Classes, StringComparer.Ordinal), request.PreferredClassOrder)).ToList();
        }
        else if (request.Classes is { Count: > 0 } wanted)
        {
            var missing = wanted.Where(c => !present.Contains(c)).ToArray();
            if (missing.Length > 0) throw new ArgumentException($"--classes lists {string.Join(", ", missing)}, which the data has no rows of.", nameof(request));
            classes = wanted;
        }
        else
        {
            classes = OrderClasses(present, request.PreferredClassOrder);
        }

        if (classes.Count == 0) throw new ArgumentException("The data has no labeled rows, so there are no classes to learn.", nameof(data));
        var encoding = new LabelEncoding(classes);

        // Keep unlabeled rows and rows of the chosen classes.
        var keep = new List<int>(data.Rows);
        for (int i = 0; i < data.Rows; i++)
            if (data.Labels[i] is null || encoding.IndexOf(data.Labels[i]) >= 0) keep.Add(i);
        var table = keep.Count == data.Rows ? data : data.Select(keep.ToArray());

        var device = request.Device ?? TorchSharp.torch.CPU;
        var random = new RandomSource(request.Seed);
        var labels = encoding.Encode(table.Labels);
        if (request.LabelsPerClass is int perClass) labels = Sampling.KeepLabelsPerClass(labels, classes.Count, perClass, random);

        var standardizer = parent?.Standardizer
            ?? (request.Scaling == InputScalingMethod.Robust
                ? Standardizer.FitRobust(table.Features, table.Rows, table.FeatureCount)
                : Standardizer.Fit(table.Features, table.Rows, table.FeatureCount));
        var x = new float[table.Features.Length];
        standardizer.Transform(table.Features, x);
        var set = new TrainingSet(x, table.FeatureCount, labels, classes.Count);

        var metrics = new Dictionary<string, double>
        {
            ["rows"] = set.Rows,
            ["labeled_rows"] = set.LabeledCount,
        };
        var manifest = new ModelManifest
        {
            Kind = request.Kind,
            Prior = kind.IsLatent ? ModelHyperparameters.PriorName(request.Sdgm.Prior) : null,
            Version = VersionLabel(request),
            Created = request.Created,
            Features = table.FeatureNames.ToArray(),
            Normalisation = parent?.Manifest.Normalisation ?? new NormalisationInfo(standardizer.Mean, standardizer.Std, request.Scaling == InputScalingMethod.Robust ? "robust" : "standard"),
            Classes = classes.ToArray(),
            Hyperparameters = new Dictionary<string, double>(),
            Seed = (long)request.Seed,
            TrainingDataHash = request.TrainingDataHash,
            Metrics = metrics,
            InitialisedFrom = parent?.Manifest.Version,
        };

        if (request.Kind == ModelKinds.Sdgm)
        {
            var sdgmOptions = request.Sdgm;
            SdgmNetwork? parentNetwork = null;
            if (parent is not null)
            {
                parentNetwork = parent.Network;
                var o = parentNetwork.Options;
                sdgmOptions = sdgmOptions with
                {
                    Z1 = o.Z1, Z2 = o.Z2, Hidden = o.Hidden, Layers = o.Layers, Activation = o.Activation, LogVarMin = o.LogVarMin, LogVarMax = o.LogVarMax,
                    Prior = o.Prior, PseudoInputs = o.PseudoInputs, WarmupEpochs = 0,
                };
            }

            var (network, outcome) = SdgmTrainer.Train(set, sdgmOptions, random, progress, cancellationToken, device, request.TimeLimit, parentNetwork);
            Record(metrics, outcome);
            var model = new SdgmModel(network, standardizer, manifest with { Hyperparameters = WithAlpha(ModelHyperparameters.From(sdgmOptions), outcome.Alpha) }, device);
            var (elboThreshold, thresholds) = CalibrateThresholds(model, table, request, random, metrics);
            return new SdgmModel(network, standardizer, model.Manifest with { Threshold = elboThreshold, Thresholds = thresholds }, device);
        }

        if (kind.IsLatent)
        {
            var latentOptions = request.Sdgm;
            var (network, outcome) = SdgmTrainer.Train(set, latentOptions, random,
                (d, k, g) => LatentNetworkFactory.Create(kind.Name, d, k, latentOptions, g), progress, cancellationToken, device, request.TimeLimit);
            Record(metrics, outcome);
            var model = new LatentModel(network, standardizer, manifest with { Hyperparameters = WithAlpha(ModelHyperparameters.From(latentOptions), outcome.Alpha) }, device, 1);
            var (elbo, all) = CalibrateThresholds(model, table, request, random, metrics);
            model.Manifest = model.Manifest with { Threshold = elbo, Thresholds = all };
            return model;
        }

        var options = request.Classifier ?? (request.Kind == ModelKinds.Mlr ? ClassifierOptions.Mlr : ClassifierOptions.Mlp);
        var (net, result) = ClassifierTrainer.Train(set, options, random, progress, cancellationToken, device, request.TimeLimit);
        Record(metrics, result);
        return new ClassifierModel(net, standardizer, manifest with { Hyperparameters = ModelHyperparameters.From(options) }, device);
    }

    /// <summary>Classes ordered by <paramref name="preferred"/>, the rest alphabetically.</summary>
    public static IReadOnlyList<string> OrderClasses(IEnumerable<string> present, IReadOnlyList<string> preferred)
    {
        var set = present.ToHashSet(StringComparer.Ordinal);
        var ordered = preferred.Where(set.Contains).ToList();
        ordered.AddRange(set.Except(ordered, StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return ordered;
    }

    /// <summary>
    /// Thresholds for every <see cref="AnomalyScore"/> <paramref name="model"/> computes (<see cref="AnomalyScores.Supports"/>) at
    /// <see cref="SdgmOptions.ThresholdPercentile"/> of the training rows' scores (up to <see cref="TrainRequest.ThresholdRows"/>
    /// rows): the legacy ELBO threshold and the per-score table. Any model kind with an ELBO can use it.
    /// </summary>
    private static (AnomalyThreshold Elbo, Dictionary<string, ScoreThreshold> All) CalibrateThresholds(IConditionModel model, TabularData table, TrainRequest request, RandomSource random, Dictionary<string, double> metrics)
    {
        int n = Math.Min(table.Rows, request.ThresholdRows);
        var rows = n == table.Rows ? Enumerable.Range(0, n).ToArray() : Sampling.Permutation(table.Rows, random)[..n];
        var sample = table.Select(rows);
        double percentile = request.Sdgm.ThresholdPercentile;
        var all = new Dictionary<string, ScoreThreshold>(StringComparer.Ordinal);
        AnomalyThreshold? legacy = null;
        foreach (var score in AnomalyScores.All.Where(s => AnomalyScores.Supports(model, s)))
        {
            var (calibrated, values) = Calibrate(model, score, sample, percentile);
            var name = AnomalyScores.Name(score);
            var threshold = calibrated.Value;
            all[name] = calibrated;
            if (score == AnomalyScore.Elbo)
            {
                metrics["train_elbo_mean"] = values.Average();
                metrics["train_elbo_p01"] = RankStatistics.Percentile(values, 1);
                metrics["train_elbo_p50"] = RankStatistics.Percentile(values, 50);
                legacy = new AnomalyThreshold(threshold, percentile);
            }
            else
            {
                metrics[$"train_{name.Replace('-', '_')}_p50"] = RankStatistics.Percentile(values, 50);
            }
        }

        return (legacy!, all);
    }

    /// <summary>
    /// The threshold of <paramref name="score"/> at <paramref name="percentile"/> (%) of its values on <paramref name="sample"/>
    /// (raw rows of the model's features), as training calibrates it; also the values.
    /// </summary>
    /// <exception cref="ArgumentException">The model does not compute <paramref name="score"/>.</exception>
    public static (ScoreThreshold Threshold, float[] Values) Calibrate(IConditionModel model, AnomalyScore score, TabularData sample, double percentile)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sample);
        if (!AnomalyScores.Supports(model, score))
            throw new ArgumentException($"A {model.Manifest.Kind} model has no anomaly score {AnomalyScores.Name(score)}.", nameof(score));
        var values = new float[sample.Rows];
        AnomalyScores.Compute(model, score, sample.Features, sample.Rows, values);
        var threshold = RankStatistics.Percentile(values, percentile);
        return (new ScoreThreshold(threshold, percentile, score == AnomalyScore.IwElbo ? AnomalyScores.ImportanceSamples : null), values);
    }

    private static void Record(Dictionary<string, double> metrics, TrainingOutcome outcome)
    {
        metrics["epochs_run"] = outcome.EpochsRun;
        metrics["best_epoch"] = outcome.BestEpoch;
        metrics["min_epochs"] = outcome.MinEpochs;
        metrics["patience_epochs"] = outcome.Patience;
        if (!double.IsNaN(outcome.BestValidationAccuracy)) metrics["validation_accuracy"] = outcome.BestValidationAccuracy;
        if (!double.IsNaN(outcome.BestValidationElbo)) metrics["validation_elbo"] = outcome.BestValidationElbo;
        metrics["train_seconds"] = Math.Round(outcome.Elapsed.TotalSeconds, 2);
    }

    private static Dictionary<string, double> WithAlpha(Dictionary<string, double> h, double alpha)
    {
        h["alpha"] = alpha;
        return h;
    }

    private static string VersionLabel(TrainRequest request)
    {
        var hash = request.TrainingDataHash.Length >= 8 ? request.TrainingDataHash[..8] : "nodata";
        return $"{request.Kind}-{request.Created.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{hash}-s{request.Seed}";
    }
}
