using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Classifiers;
using PvMonitor.Learning.Models.Sdgm;

namespace PvMonitor.Learning.Training;

/// <summary>
/// From a raw table to a ready model: picks classes, encodes labels, subsamples labels per class, fits the
/// standardisation, trains the requested kind, calibrates the SDGM's anomaly thresholds (one per <see cref="AnomalyScore"/>) on the training rows and writes the
/// manifest.
/// </summary>
public static class ConditionModelTrainer
{
    /// <summary>Trains a model on <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">Unknown kind, no classes, a requested class absent from the data, or no labeled rows for a baseline.</exception>
    public static IConditionModel Train(TabularData data, TrainRequest request, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind is not ("sdgm" or "mlp" or "mlr"))
            throw new ArgumentException($"Unknown model kind '{request.Kind}': expected sdgm, mlp or mlr.", nameof(request));

        var present = data.DistinctLabels();
        SdgmModel? parent = null;
        if (request.Parent is { } given)
        {
            if (given.Manifest.Kind != request.Kind)
                throw new ArgumentException($"Fine-tuning needs a parent of the same kind (parent is {given.Manifest.Kind}, asked for {request.Kind}).", nameof(request));
            parent = given as SdgmModel ?? throw new ArgumentException($"Fine-tuning is available for sdgm models; a {request.Kind} model is trained from scratch.", nameof(request));
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

        if (request.Kind == "sdgm")
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
                    WarmupEpochs = 0,
                };
            }

            var (network, outcome) = SdgmTrainer.Train(set, sdgmOptions, random, progress, cancellationToken, device, request.TimeLimit, parentNetwork);
            Record(metrics, outcome);
            var model = new SdgmModel(network, standardizer, manifest with { Hyperparameters = WithAlpha(ModelHyperparameters.From(sdgmOptions), outcome.Alpha) }, device);
            var (elboThreshold, thresholds) = CalibrateThresholds(model, table, request, random, metrics);
            return new SdgmModel(network, standardizer, model.Manifest with { Threshold = elboThreshold, Thresholds = thresholds }, device);
        }

        var options = request.Classifier ?? (request.Kind == "mlr" ? ClassifierOptions.Mlr : ClassifierOptions.Mlp);
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
            var values = new float[n];
            AnomalyScores.Compute(model, score, sample.Features, n, values);
            var name = AnomalyScores.Name(score);
            var threshold = RankStatistics.Percentile(values, percentile);
            all[name] = new ScoreThreshold(threshold, percentile, score == AnomalyScore.IwElbo ? AnomalyScores.ImportanceSamples : null);
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
