using System.Diagnostics;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Classifiers;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Training;

namespace PvMonitor.Learning.Experiments;

/// <summary>
/// Runs the three experiments of the PV paper (Appendix D) on a labeled table with the six sensor columns:
/// Table III (MLR / MLP / SDGM, simple {I,V} and complex inputs, fully supervised, Monte-Carlo cross-validation 80/20),
/// Fig. 7 (accuracy against the number of labels, spread evenly over the classes; the SDGM also sees the rest of the
/// training rows unlabeled) and Fig. 8 (classes added one by one in Table II order with one label from every other
/// class: accuracy on the included classes and the ELBO of included versus not-included classes).
/// </summary>
public static class PaperExperiment
{
    private static readonly string[] Simple = ["I", "V"];

    /// <summary>Runs the experiments; <paramref name="progress"/> receives (fraction done, what is running).</summary>
    public static PaperExperimentResults Run(TabularData data, IReadOnlyList<string> classOrder, PaperExperimentOptions options,
        IProgress<(double Fraction, string Status)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options.Validate();
        var stopwatch = Stopwatch.StartNew();
        var classes = ConditionModelTrainer.OrderClasses(data.DistinctLabels(), classOrder);
        var labeled = Enumerable.Range(0, data.Rows).Where(i => data.Labels[i] is not null).ToArray();
        var table = data.Select(labeled);
        var featureSets = new (string Name, TabularData Table)[] { ("simple", Columns(table, Simple)), ("complex", table) };

        int total = (options.RunTable3 ? options.Folds * 6 : 0) + (options.RunFigure7 ? options.LabelBudgets.Count * options.Repeats * 6 : 0)
                    + (options.RunFigure8 ? Math.Min(options.ProgressiveSteps, classes.Count) * 2 : 0);
        int done = 0;
        void Step(string what)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(((double)done++ / Math.Max(1, total), what));
        }

        var table3 = new List<AccuracySeries>();
        var confusions = new List<ConfusionEntry>();
        var latents = new List<LatentProjection>();
        if (options.RunTable3)
        {
            foreach (var (name, set) in featureSets)
                foreach (var kind in new[] { ModelKinds.Mlr, ModelKinds.Mlp, ModelKinds.Sdgm })
                {
                    var accuracies = new List<double>();
                    var confusion = new int[classes.Count][];
                    for (int c = 0; c < classes.Count; c++) confusion[c] = new int[classes.Count];
                    for (int fold = 0; fold < options.Folds; fold++)
                    {
                        Step($"Table III {kind} {name} fold {fold + 1}/{options.Folds}");
                        var (train, test) = Split(set, options.Seed + (ulong)fold);
                        var model = Train(kind, train, classes, null, options, options.Seed + (ulong)fold);
                        var result = ModelEvaluator.Evaluate(model, test, []);
                        accuracies.Add(result.Accuracy);
                        for (int t = 0; t < classes.Count; t++)
                            for (int p = 0; p < classes.Count; p++) confusion[t][p] += result.Confusion.Matrix[t][p];
                        if (fold == 0 && model is SdgmModel sdgm) latents.Add(Project(sdgm, test, name));
                    }

                    table3.Add(new AccuracySeries(kind, name, accuracies));
                    confusions.Add(new ConfusionEntry(kind, name, classes, confusion));
                }
        }

        var figure7 = new List<BudgetPoint>();
        if (options.RunFigure7)
        {
            foreach (var (name, set) in featureSets)
                foreach (var kind in new[] { ModelKinds.Mlr, ModelKinds.Mlp, ModelKinds.Sdgm })
                    foreach (var budget in options.LabelBudgets)
                    {
                        var accuracies = new List<double>();
                        int perClass = Math.Max(1, budget / classes.Count);
                        for (int r = 0; r < options.Repeats; r++)
                        {
                            Step($"Fig. 7 {kind} {name} {budget} labels, repeat {r + 1}/{options.Repeats}");
                            var seed = options.Seed + 1000 + (ulong)r;
                            var (train, test) = Split(set, seed);
                            var model = Train(kind, train, classes, perClass, options, seed);
                            accuracies.Add(ModelEvaluator.Evaluate(model, test, []).Accuracy);
                        }

                        figure7.Add(new BudgetPoint(kind, name, perClass * classes.Count, accuracies));
                    }
        }

        var figure8 = new List<ProgressiveStep>();
        if (options.RunFigure8)
        {
            var (train, test) = Split(table, options.Seed + 2000);
            var random = new RandomSource(options.Seed + 2001);
            int steps = Math.Min(options.ProgressiveSteps, classes.Count);
            for (int s = 1; s <= steps; s++)
            {
                var included = classes.Take(s).ToHashSet(StringComparer.Ordinal);
                var progressive = ProgressiveTable(train, classes, included, options.ProgressiveLabels, random);
                Step($"Fig. 8 SDGM with {s} classes");
                var sdgm = (SdgmModel)Train(ModelKinds.Sdgm, progressive, classes, null, options, options.Seed + 2002);
                Step($"Fig. 8 MLP with {s} classes");
                var mlp = Train(ModelKinds.Mlp, progressive, classes, null, options, options.Seed + 2003);
                var excluded = classes.Where(c => !included.Contains(c)).ToArray();
                var sdgmResult = ModelEvaluator.Evaluate(sdgm, test, excluded);
                var mlpResult = ModelEvaluator.Evaluate(mlp, test, excluded);
                var elbo = new float[test.Rows];
                ModelEvaluator.ScoreAll(sdgm, test, new float[test.Rows * classes.Count], elbo);
                var inc = new List<float>();
                var exc = new List<float>();
                for (int i = 0; i < test.Rows; i++) (included.Contains(test.Labels[i]!) ? inc : exc).Add(elbo[i]);
                figure8.Add(new ProgressiveStep(included.ToArray(), sdgmResult.Accuracy, mlpResult.Accuracy,
                    Mean(inc), StdDev(inc), Mean(exc), StdDev(exc), sdgmResult.Anomaly?.AurocUnseen ?? double.NaN,
                    Sample(inc, 400, random), Sample(exc, 400, random)));
            }
        }

        progress?.Report((1.0, "done"));
        return new PaperExperimentResults
        {
            Classes = classes,
            Rows = table.Rows,
            Table3 = table3,
            Confusions = confusions,
            Latents = latents,
            Figure7 = figure7,
            Figure8 = figure8,
            Seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 1),
        };
    }

    private static IConditionModel Train(string kind, TabularData train, IReadOnlyList<string> classes, int? labelsPerClass, PaperExperimentOptions options, ulong seed)
    {
        var request = new TrainRequest
        {
            Kind = kind,
            Classes = classes.Where(c => train.Labels.Contains(c)).ToArray(),
            LabelsPerClass = labelsPerClass,
            Seed = seed,
            // The paper's preset (early stopping, standard scaling, MLP dropout 0.5) with the experiment's learning rate and β.
            Sdgm = TrainingPreset.Paper.Sdgm with { Epochs = options.SdgmEpochs, LearningRate = options.SdgmLearningRate, Beta = options.SdgmBeta },
            Classifier = TrainingPreset.Paper.Classifier(kind) with { Epochs = options.BaselineEpochs },
            Scaling = TrainingPreset.Paper.Scaling,
            ThresholdRows = 2000,
            Device = options.Device,
        };
        return ConditionModelTrainer.Train(train, request);
    }

    /// <summary>Included classes keep <paramref name="labels"/> labeled rows each (the rest of their rows unlabeled); every other class keeps exactly one labeled row and nothing else.</summary>
    private static TabularData ProgressiveTable(TabularData train, IReadOnlyList<string> classes, HashSet<string> included, int labels, RandomSource random)
    {
        var order = Sampling.Permutation(train.Rows, random);
        var kept = new List<int>();
        var newLabels = new List<string?>();
        var counts = classes.ToDictionary(c => c, _ => 0, StringComparer.Ordinal);
        foreach (var i in order)
        {
            var label = train.Labels[i]!;
            if (included.Contains(label))
            {
                kept.Add(i);
                newLabels.Add(counts[label]++ < labels ? label : null);
            }
            else if (counts.TryGetValue(label, out var n) && n == 0)
            {
                counts[label] = 1;
                kept.Add(i);
                newLabels.Add(label);
            }
        }

        var subset = train.Select(kept.ToArray());
        return new TabularData(subset.Features, subset.Rows, subset.FeatureNames, newLabels.ToArray());
    }

    private static (TabularData Train, TabularData Test) Split(TabularData table, ulong seed)
    {
        var (train, test) = Sampling.TrainTestSplit(table.Rows, 0.2, new RandomSource(seed));
        return (table.Select(train), table.Select(test));
    }

    /// <summary>The table with only the columns <paramref name="names"/>, in that order.</summary>
    internal static TabularData Columns(TabularData table, IReadOnlyList<string> names)
    {
        var index = names.Select(n => table.FeatureNames.ToList().IndexOf(n)).ToArray();
        if (index.Any(i => i < 0)) throw new ArgumentException($"The data needs columns {string.Join(",", names)}.", nameof(table));
        var features = new float[table.Rows * names.Count];
        for (int r = 0; r < table.Rows; r++)
            for (int j = 0; j < index.Length; j++) features[r * index.Length + j] = table.Features[r * table.FeatureCount + index[j]];
        return new TabularData(features, table.Rows, names, table.Labels);
    }

    private static LatentProjection Project(SdgmModel model, TabularData test, string features)
    {
        int n = Math.Min(test.Rows, 3000);
        var z = model.LatentMeans(test.Features.AsSpan(0, n * test.FeatureCount), n);
        var pcs = Pca.Project(z, n, model.Network.Options.Z1, 2);
        var pc1 = new float[n];
        var pc2 = new float[n];
        for (int i = 0; i < n; i++)
        {
            pc1[i] = pcs[2 * i];
            pc2[i] = pcs[2 * i + 1];
        }

        return new LatentProjection(features, pc1, pc2, test.Labels.Take(n).Select(l => l ?? "").ToArray());
    }

    private static double Mean(List<float> v) => v.Count == 0 ? double.NaN : v.Average();

    private static double StdDev(List<float> v)
    {
        if (v.Count < 2) return 0;
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Count - 1));
    }

    private static float[] Sample(List<float> v, int n, RandomSource random)
    {
        if (v.Count <= n) return v.ToArray();
        var order = Sampling.Permutation(v.Count, random);
        return order.Take(n).Select(i => v[i]).ToArray();
    }
}
