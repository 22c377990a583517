using System.Diagnostics;
using System.Globalization;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;

namespace PvMonitor.Learning.Training;

/// <summary>
/// <c>train --tune BUDGET</c>: a small search over the few settings that matter, for unattended training (retraining on a
/// plant's own data). Candidates are trained on the first 80 % of the rows in file order and judged on the last 20 %
/// (data exported from the store or written by <c>simulate</c> is in time order, so this holds out the latest period,
/// not random neighbours of training rows): by accuracy on the held-out rows of known classes when there are at least
/// two per class, else by their mean ELBO (latent kinds). The default settings are tried first, so a budget too small for more
/// still yields the default model. Two thirds of the budget go to the search, split evenly over the candidates left
/// (each stops at its share, keeping its best epoch); the winner is then retrained on all rows within what remains.
/// </summary>
public static class TrainingTuner
{
    /// <summary>Fraction of rows (the latest, in file order) held out to judge candidates (0.2).</summary>
    public const double HoldOutFraction = 0.2;

    /// <summary>The candidates tried for <paramref name="request"/>'s model kind, default first: name and settings.</summary>
    public static IReadOnlyList<(string Name, TrainRequest Request)> Candidates(TrainRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ModelKinds.IsLatent(request.Kind))
        {
            var o = request.Sdgm;
            return
            [
                ("default", request),
                ($"lr={Format(o.LearningRate * 3)}", request with { Sdgm = o with { LearningRate = o.LearningRate * 3 } }),
                ($"beta={Format(o.Beta / 5)}", request with { Sdgm = o with { Beta = o.Beta / 5 } }),
                ($"lr={Format(o.LearningRate / 3)}", request with { Sdgm = o with { LearningRate = o.LearningRate / 3 } }),
            ];
        }

        var c = request.Classifier ?? TrainingPreset.Default.Classifier(request.Kind);
        var list = new List<(string, TrainRequest)>
        {
            ("default", request with { Classifier = c }),
            ($"lr={Format(c.LearningRate * 3)}", request with { Classifier = c with { LearningRate = c.LearningRate * 3 } }),
            ($"lr={Format(c.LearningRate / 3)}", request with { Classifier = c with { LearningRate = c.LearningRate / 3 } }),
        };
        if (c.HiddenLayers.Count > 0) list.Add(("dropout=0.3", request with { Classifier = c with { Dropout = 0.3f } }));
        return list;
    }

    /// <summary>Searches within <paramref name="budget"/> and returns the model trained on all rows with the chosen settings
    /// (its manifest carries the <see cref="TuningReport"/>).</summary>
    /// <exception cref="ArgumentException">Too few rows to hold any out, or a bad budget.</exception>
    public static IConditionModel Train(TabularData data, TrainRequest request, TimeSpan budget, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(request);
        if (budget <= TimeSpan.Zero) throw new ArgumentException("The tuning budget must be positive.", nameof(budget));
        int cut = (int)Math.Round(data.Rows * (1 - HoldOutFraction));
        if (cut < 10 || data.Rows - cut < 10) throw new ArgumentException($"--tune needs at least 50 rows to hold out the latest 20 % (the data has {data.Rows}).", nameof(data));

        var stopwatch = Stopwatch.StartNew();
        var fit = data.Select(Enumerable.Range(0, cut).ToArray());
        var hold = data.Select(Enumerable.Range(cut, data.Rows - cut).ToArray());
        var fitLabels = fit.DistinctLabels().ToHashSet(StringComparer.Ordinal);
        var candidates = Candidates(request);
        var searchEnd = budget * 2 / 3;
        var results = new List<TuningCandidate>();
        string? metric = null;
        int best = -1;
        double bestScore = double.NegativeInfinity, bestTie = double.NegativeInfinity;
        for (int i = 0; i < candidates.Count; i++)
        {
            var left = searchEnd - stopwatch.Elapsed;
            if (i > 0 && left <= TimeSpan.Zero) break;
            var (name, candidate) = candidates[i];
            candidate = candidate with
            {
                Classes = candidate.Classes?.Where(fitLabels.Contains).ToArray(),
                TimeLimit = left / (candidates.Count - i),
            };
            var started = stopwatch.Elapsed;
            var model = ConditionModelTrainer.Train(fit, candidate, progress, cancellationToken);
            try
            {
                var (accuracy, elbo) = Judge(model, hold);
                metric ??= accuracy is null ? "elbo" : "accuracy";
                double score = (metric == "accuracy" ? accuracy : elbo) ?? double.NegativeInfinity;
                double tie = elbo ?? double.NegativeInfinity;
                results.Add(new TuningCandidate(name, accuracy, elbo, (int)model.Manifest.Metrics.GetValueOrDefault("epochs_run"),
                    Math.Round((stopwatch.Elapsed - started).TotalSeconds, 1)));
                if (score > bestScore || (score == bestScore && tie > bestTie))
                {
                    (best, bestScore, bestTie) = (i, score, tie);
                }
            }
            finally
            {
                (model as IDisposable)?.Dispose();
            }
        }

        if (best < 0) best = 0;
        var final = candidates[best].Request with { TimeLimit = Max(budget - stopwatch.Elapsed, TimeSpan.FromSeconds(1)) };
        var trained = ConditionModelTrainer.Train(data, final, progress, cancellationToken);
        var report = new TuningReport
        {
            BudgetSeconds = Math.Round(budget.TotalSeconds, 1),
            Seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 1),
            Validation = $"{metric ?? "elbo"} on the last {HoldOutFraction:P0} of rows in file order ({hold.Rows} rows); candidates trained on the first {fit.Rows}",
            Candidates = results,
            Chosen = candidates[best].Name,
        };
        switch (trained)
        {
            case Models.Latent.LatentModel latent: latent.Manifest = latent.Manifest with { Tuning = report }; break;
            case Models.Classifiers.ClassifierModel classifier: classifier.Manifest = classifier.Manifest with { Tuning = report }; break;
        }

        return trained;
    }

    /// <summary>Accuracy on held-out rows of the model's classes (null with fewer than two per class) and mean ELBO (null without one).</summary>
    private static (double? Accuracy, double? Elbo) Judge(IConditionModel model, TabularData hold)
    {
        int k = model.Classes.Count;
        var probabilities = new float[hold.Rows * k];
        var elbo = new float[hold.Rows];
        ModelEvaluator.ScoreAll(model, hold, probabilities, elbo);
        var encoding = new LabelEncoding(model.Classes);
        int labeled = 0, correct = 0;
        for (int i = 0; i < hold.Rows; i++)
        {
            int truth = encoding.IndexOf(hold.Labels[i]);
            if (truth < 0) continue;
            labeled++;
            if (SdgmTrainer.ArgMax(probabilities.AsSpan(i * k, k)) == truth) correct++;
        }

        double? accuracy = k > 1 && labeled >= 2 * k ? (double)correct / labeled : null;
        double? meanElbo = model.HasElbo ? elbo.Average() : null;
        return (accuracy, meanElbo);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Format(float value) => value.ToString("0.###e0", CultureInfo.InvariantCulture);
}
