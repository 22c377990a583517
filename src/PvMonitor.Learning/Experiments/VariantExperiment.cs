using System.Diagnostics;
using System.Globalization;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Training;

namespace PvMonitor.Learning.Experiments;

/// <summary>
/// Compares model kinds and anomaly scores on the same splits. Per seed: one 80/20 split of the labelled rows; every model
/// kind trains on it with simple {I, V} and complex {I, V, G, TExt, TMod, W} inputs at each label budget per class (the
/// SDGM also sees the rest of the training rows unlabeled; the baselines ignore them) and is scored on the test rows
/// (accuracy) while its seconds per epoch are recorded. Then, leave-one-condition-out: for each held-out condition every
/// kind that has anomaly scores trains on the training rows of the other conditions (complex inputs, all labels) and each
/// selected score ranks the test rows, the AUROC of −score telling the held-out condition from the known ones. Every run
/// uses the <c>default</c> training preset (<see cref="TrainingPreset.Default"/>) with the experiment's epoch limit.
/// </summary>
public static class VariantExperiment
{
    /// <summary>Runs the comparison; <paramref name="progress"/> receives (fraction done, what is running).</summary>
    /// <exception cref="ArgumentException">Invalid options, no labelled rows, a held-out condition absent from the data, or an
    /// unknown model kind.</exception>
    public static VariantExperimentResults Run(TabularData data, IReadOnlyList<string> classOrder, VariantExperimentOptions options,
        IProgress<(double Fraction, string Status)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var stopwatch = Stopwatch.StartNew();
        var labeled = Enumerable.Range(0, data.Rows).Where(i => data.Labels[i] is not null).ToArray();
        if (options.Rows > 0 && options.Rows < labeled.Length)
        {
            var order = Sampling.Permutation(labeled.Length, new RandomSource(options.Seed));
            labeled = order[..options.Rows].Select(i => labeled[i]).Order().ToArray();
        }

        var table = data.Select(labeled);
        if (table.Rows < 10) throw new ArgumentException($"The data has {table.Rows} labelled rows; the experiment needs at least 10.", nameof(data));
        var classes = ConditionModelTrainer.OrderClasses(table.DistinctLabels(), classOrder);
        var missing = options.HeldOut.Where(c => !classes.Contains(c)).ToArray();
        if (missing.Length > 0) throw new ArgumentException($"Held-out condition(s) {string.Join(", ", missing)} have no rows in the data (it has {string.Join(", ", classes)}).", nameof(options));
        if (options.HeldOut.Count > 0 && classes.Count < 2) throw new ArgumentException("Holding a condition out needs at least two conditions in the data.", nameof(options));
        var featureSets = new (string Name, TabularData Table)[] { ("simple", PaperExperiment.Columns(table, FeatureSets.Simple)), ("complex", PaperExperiment.Columns(table, options.ComplexFeatures)) };

        var clusterModels = options.Models.Where(m => ExperimentModelKinds.Resolve(m, new()).Kind == ModelKinds.Cagem).ToArray();
        int total = options.Seeds * (featureSets.Length * options.Models.Count * options.LabelsPerClass.Count + options.HeldOut.Count * options.Models.Count + clusterModels.Length);
        int done = 0;
        void Step(string what)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(((double)done++ / Math.Max(1, total), what));
        }

        var accuracy = new Dictionary<(string, string, string), List<double>>();
        var epochTimes = new Dictionary<(string, string), List<double>>();
        var aurocs = new Dictionary<(string, string), (List<string> HeldOut, List<double> Values)>();
        var scoresOf = new Dictionary<string, AnomalyScore[]>(StringComparer.Ordinal);
        var purity = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        for (int s = 0; s < options.Seeds; s++)
        {
            var seed = options.Seed + (ulong)s;
            var (trainRows, testRows) = Sampling.TrainTestSplit(table.Rows, 0.2, new RandomSource(seed));
            foreach (var (features, set) in featureSets)
            {
                var train = set.Select(trainRows);
                var test = set.Select(testRows);
                foreach (var kind in options.Models)
                    foreach (var perClass in options.LabelsPerClass)
                    {
                        var labels = VariantExperimentOptions.LabelName(perClass);
                        Step($"seed {s + 1}/{options.Seeds}: {kind} {features} {labels} labels/class");
                        var clock = Stopwatch.StartNew();
                        var model = Train(kind, train, perClass, options, seed);
                        var seconds = clock.Elapsed.TotalSeconds;
                        try
                        {
                            Add(accuracy, (kind, features, labels), Accuracy(model, test, classes));
                            if (model.Manifest.Metrics.TryGetValue("epochs_run", out var epochs) && epochs > 0)
                                Add(epochTimes, (kind, features), seconds / epochs);
                            scoresOf.TryAdd(kind, options.Scores.Where(score => AnomalyScores.Supports(model, score)).ToArray());
                        }
                        finally
                        {
                            (model as IDisposable)?.Dispose();
                        }
                    }
            }

            var complexTrain = featureSets[1].Table.Select(trainRows);
            var complexTest = featureSets[1].Table.Select(testRows);
            foreach (var model in clusterModels)
            {
                // The cluster-aware model with no labels at all: its K = the data's conditions are clusters it finds.
                Step($"seed {s + 1}/{options.Seeds}: {model} without labels");
                var trained = Train(model, complexTrain, 0, options, seed);
                try
                {
                    Add(purity, model, ClusterPurity(trained, complexTest));
                }
                finally
                {
                    (trained as IDisposable)?.Dispose();
                }
            }

            foreach (var heldOut in options.HeldOut)
            {
                var keep = Enumerable.Range(0, complexTrain.Rows).Where(i => complexTrain.Labels[i] != heldOut).ToArray();
                var train = complexTrain.Select(keep);
                var positive = complexTest.Labels.Select(l => l == heldOut).ToArray();
                foreach (var kind in options.Models)
                {
                    Step($"seed {s + 1}/{options.Seeds}: {kind} without {heldOut}");
                    if (scoresOf.TryGetValue(kind, out var known) && known.Length == 0) continue; // no anomaly score: no AUROC row
                    var model = Train(kind, train, null, options, seed);
                    try
                    {
                        foreach (var score in options.Scores.Where(score => AnomalyScores.Supports(model, score)))
                        {
                            var values = Score(model, score, complexTest);
                            var negated = values.Select(v => -v).ToArray();
                            var cell = Cell(aurocs, (kind, AnomalyScores.Name(score)));
                            cell.HeldOut.Add(heldOut);
                            cell.Values.Add(RankStatistics.Auroc(negated, positive));
                        }
                    }
                    finally
                    {
                        (model as IDisposable)?.Dispose();
                    }
                }
            }
        }

        progress?.Report((1.0, "done"));
        var accuracyCells = options.Models.SelectMany(m => featureSets.SelectMany(f => options.LabelsPerClass.Select(VariantExperimentOptions.LabelName)
            .Select(l => new VariantAccuracy(m, f.Name, l, accuracy.GetValueOrDefault((m, f.Name, l)) ?? [])))).ToArray();
        var aurocCells = options.Models.SelectMany(m => options.Scores.Select(AnomalyScores.Name)
            .Where(score => aurocs.ContainsKey((m, score)))
            .Select(score => new VariantAuroc(m, score, aurocs[(m, score)].HeldOut, aurocs[(m, score)].Values))).ToArray();
        var timeCells = options.Models.SelectMany(m => featureSets.Select(f => new VariantEpochTime(m, f.Name, epochTimes.GetValueOrDefault((m, f.Name)) ?? []))).ToArray();
        return new VariantExperimentResults
        {
            Classes = classes,
            Rows = table.Rows,
            Seeds = options.Seeds,
            Accuracy = accuracyCells,
            Auroc = aurocCells,
            HeldOut = options.HeldOut,
            EpochTimes = timeCells,
            ClusterPurity = clusterModels.Select(m => new VariantPurity(m, purity.GetValueOrDefault(m) ?? [])).ToArray(),
            MajorityShare = (double)table.Labels.GroupBy(l => l).Max(g => g.Count()) / table.Rows,
            Recommendation = VariantRecommendation.From(accuracyCells, aurocCells),
            Seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 1),
        };
    }

    private static float[] Score(IConditionModel model, AnomalyScore score, TabularData test)
    {
        var values = new float[test.Rows];
        AnomalyScores.Compute(model, score, test.Features, test.Rows, values);
        return values;
    }

    /// <summary>Accuracy on the test rows of classes the model knows (q(y|x)'s most probable class against the label).</summary>
    /// <summary>
    /// Purity of the model's clusters (argmax of its q(y|·)) against the true conditions on <paramref name="test"/>:
    /// Σ over clusters of the count of the cluster's most frequent condition, divided by the rows (1 = every cluster holds one
    /// condition; a single cluster scores the largest condition's share).
    /// </summary>
    internal static double ClusterPurity(IConditionModel model, TabularData test)
    {
        int k = model.Classes.Count, n = test.Rows;
        if (n == 0) return double.NaN;
        var probabilities = new float[n * k];
        model.Score(test.Features, n, probabilities, default, default);
        var counts = new Dictionary<(int Cluster, string Condition), int>();
        for (int i = 0; i < n; i++)
        {
            var key = (SdgmTrainer.ArgMax(probabilities.AsSpan(i * k, k)), test.Labels[i] ?? "");
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return (double)counts.GroupBy(c => c.Key.Cluster).Sum(g => g.Max(c => c.Value)) / n;
    }

    private static double Accuracy(IConditionModel model, TabularData test, IReadOnlyList<string> classes)
    {
        int k = model.Classes.Count, n = test.Rows;
        var probabilities = new float[n * k];
        model.Score(test.Features, n, probabilities, default, default);
        int right = 0, counted = 0;
        for (int i = 0; i < n; i++)
        {
            int truth = IndexOf(model.Classes, test.Labels[i]);
            if (truth < 0) continue;
            counted++;
            if (SdgmTrainer.ArgMax(probabilities.AsSpan(i * k, k)) == truth) right++;
        }

        return counted == 0 ? double.NaN : (double)right / counted;
    }

    private static IConditionModel Train(string model, TabularData train, int? perClass, VariantExperimentOptions options, ulong seed)
    {
        var preset = TrainingPreset.Default;
        var (kind, latent) = ExperimentModelKinds.Resolve(model, preset.Sdgm with { Epochs = options.Epochs });
        var request = new TrainRequest
        {
            Kind = kind,
            LabelsPerClass = perClass,
            Seed = seed,
            Sdgm = latent,
            Classifier = preset.Classifier(kind) with { Epochs = options.Epochs },
            Scaling = preset.Scaling,
            // The experiment ranks scores itself; a small calibration sample keeps the per-score thresholds cheap.
            ThresholdRows = 256,
            Device = options.Device,
            TrainingDataHash = string.Create(CultureInfo.InvariantCulture, $"experiment-seed-{seed}"),
        };
        return ConditionModelTrainer.Train(train, request);
    }

    private static int IndexOf(IReadOnlyList<string> list, string? item)
    {
        for (int i = 0; i < list.Count; i++)
            if (list[i] == item) return i;
        return -1;
    }

    private static void Add<TKey>(Dictionary<TKey, List<double>> cells, TKey key, double value) where TKey : notnull
    {
        if (!cells.TryGetValue(key, out var list)) cells[key] = list = [];
        list.Add(value);
    }

    private static (List<string> HeldOut, List<double> Values) Cell(Dictionary<(string, string), (List<string>, List<double>)> cells, (string, string) key)
    {
        if (!cells.TryGetValue(key, out var cell)) cells[key] = cell = ([], []);
        return cell;
    }
}
