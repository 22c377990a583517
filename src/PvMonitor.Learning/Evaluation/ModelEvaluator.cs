using System.Diagnostics;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Training;

namespace PvMonitor.Learning.Evaluation;

/// <summary>Scores a labeled table with a model and computes the evaluation report.</summary>
public static class ModelEvaluator
{
    /// <summary>Most rows per parallel work item.</summary>
    private const int MaxChunk = 4096;

    /// <summary>Scores every row of <paramref name="data"/> (columns must match the model's features, in order).</summary>
    /// <param name="model">The model.</param>
    /// <param name="data">Rows to score.</param>
    /// <param name="probabilities">Receives rows × classes posteriors.</param>
    /// <param name="elbo">Receives rows ELBOs (NaN for models without one).</param>
    /// <param name="threads">Parallel calling threads (default 1; libtorch parallelises inside each call).</param>
    /// <returns>Rows per second.</returns>
    public static double ScoreAll(IConditionModel model, TabularData data, float[] probabilities, float[] elbo, int threads = 0)
    {
        int d = data.FeatureCount, k = model.Classes.Count;
        // One caller thread by default: libtorch parallelises inside each call (TorchRuntime.SetThreads), and more callers
        // on top would oversubscribe the cores.
        int workers = threads > 0 ? threads : 1;
        // Enough work items to keep every worker busy on small files, big ones for large files.
        int chunk = Math.Clamp(data.Rows / (4 * workers), 256, MaxChunk);
        int chunks = (data.Rows + chunk - 1) / chunk;
        // Warm up (JIT, pooled buffers) on a few rows so the rate measures steady-state scoring.
        int warm = Math.Min(data.Rows, 64);
        if (warm > 0) model.Score(data.Features.AsSpan(0, warm * d), warm, probabilities.AsSpan(0, warm * k), model.HasElbo ? elbo.AsSpan(0, warm) : default, default);
        var stopwatch = Stopwatch.StartNew();
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = workers }, c =>
        {
            int start = c * chunk, n = Math.Min(chunk, data.Rows - start);
            model.Score(data.Features.AsSpan(start * d, n * d), n, probabilities.AsSpan(start * k, n * k),
                model.HasElbo ? elbo.AsSpan(start, n) : default, default);
        });
        double seconds = stopwatch.Elapsed.TotalSeconds;
        if (!model.HasElbo) Array.Fill(elbo, float.NaN);
        return data.Rows / Math.Max(seconds, 1e-9);
    }

    /// <summary>Evaluates <paramref name="model"/> on <paramref name="data"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="data">Labeled rows with the model's features in order.</param>
    /// <param name="unseen">Classes the model never saw: excluded from accuracy, used as positives for the anomaly AUROC.</param>
    /// <param name="iwSamples">When &gt; 0 and the model is an SDGM, also report the mean importance-weighted bound with this many samples.</param>
    /// <param name="score">The anomaly score the flags and the AUROC use (default the ELBO), against the model's threshold for it.</param>
    /// <exception cref="ArgumentException">The table's features differ from the model's, or <paramref name="score"/> is not the
    /// ELBO and the model cannot compute it or has no threshold for it (the message names the score).</exception>
    public static EvaluationResult Evaluate(IConditionModel model, TabularData data, IReadOnlyCollection<string> unseen, int iwSamples = 0, AnomalyScore score = AnomalyScore.Elbo)
    {
        if (!data.FeatureNames.SequenceEqual(model.Features))
            throw new ArgumentException($"The data's features ({string.Join(",", data.FeatureNames)}) differ from the model's ({string.Join(",", model.Features)}).", nameof(data));
        if (score != AnomalyScore.Elbo) RequireScore(model, score);
        int k = model.Classes.Count, n = data.Rows;
        var probabilities = new float[n * k];
        var elbo = new float[n];
        double rate = ScoreAll(model, data, probabilities, elbo);

        var encoding = new LabelEncoding(model.Classes);
        var truth = new int[n];
        var predicted = new int[n];
        var isUnseen = new bool[n];
        for (int i = 0; i < n; i++)
        {
            var label = data.Labels[i];
            isUnseen[i] = label is not null && unseen.Contains(label);
            truth[i] = isUnseen[i] ? -1 : encoding.IndexOf(label);
            predicted[i] = SdgmTrainer.ArgMax(probabilities.AsSpan(i * k, k));
        }

        var report = ClassificationReport.Compute(truth, predicted, k);
        var perClass = new Dictionary<string, PerClassResult>();
        for (int c = 0; c < k; c++)
        {
            var m = report.PerClass[c];
            perClass[model.Classes[c]] = new PerClassResult(Round(m.Precision), Round(m.Recall), Round(m.F1), m.Support);
        }

        var matrix = new int[k][];
        for (int t = 0; t < k; t++)
        {
            matrix[t] = new int[k];
            for (int p = 0; p < k; p++) matrix[t][p] = report.Confusion[t, p];
        }

        ElboResult? elboResult = null;
        AnomalyResult? anomaly = null;
        if (model.HasElbo && n > 0)
        {
            double? iwMean = null;
            if (iwSamples > 0 && model is Models.Latent.LatentModel sdgm)
            {
                var iw = new float[n];
                sdgm.ImportanceWeightedElbo(data.Features, n, iwSamples, iw);
                iwMean = Round(iw.Average());
            }

            elboResult = new ElboResult(Round(elbo.Average()), Round(RankStatistics.Percentile(elbo, 1)), Round(RankStatistics.Percentile(elbo, 50)), iwMean, iwSamples > 0 ? iwSamples : null);
            var values = elbo;
            if (score != AnomalyScore.Elbo)
            {
                values = new float[n];
                AnomalyScores.Compute(model, score, data.Features, n, values);
            }

            if (model.Manifest.ThresholdOf(score) is { } threshold)
            {
                int flagged = 0, seenRows = 0, seenFlagged = 0, unseenRows = 0, unseenFlagged = 0;
                var negScore = new float[n];
                for (int i = 0; i < n; i++)
                {
                    bool flag = values[i] < threshold.Value;
                    negScore[i] = -values[i];
                    if (flag) flagged++;
                    if (isUnseen[i])
                    {
                        unseenRows++;
                        if (flag) unseenFlagged++;
                    }
                    else
                    {
                        seenRows++;
                        if (flag) seenFlagged++;
                    }
                }

                double? auroc = unseenRows > 0 && seenRows > 0 ? Round(RankStatistics.Auroc(negScore, isUnseen)) : null;
                anomaly = new AnomalyResult(Round(threshold.Value), Round((double)flagged / n), Round(seenRows == 0 ? 0 : (double)seenFlagged / seenRows),
                    unseenRows > 0 ? Round((double)unseenFlagged / unseenRows) : null, auroc)
                { Score = AnomalyScores.Name(score) };
            }
        }

        return new EvaluationResult
        {
            Model = model.Manifest.Version,
            Rows = n,
            Accuracy = Round(report.Accuracy),
            MacroF1 = Round(report.MacroF1),
            PerClass = perClass,
            Confusion = new ConfusionResult(model.Classes, matrix),
            Elbo = elboResult,
            Anomaly = anomaly,
            SamplesPerSecond = Math.Round(rate),
        };
    }

    /// <summary>Throws unless <paramref name="model"/> computes <paramref name="score"/> and has a threshold for it.</summary>
    /// <exception cref="ArgumentException">It does not; the message is <see cref="ScoreProblem"/>'s.</exception>
    public static void RequireScore(IConditionModel model, AnomalyScore score)
    {
        if (ScoreProblem(model, score) is { } problem) throw new ArgumentException(problem, nameof(score));
    }

    /// <summary>Why <paramref name="model"/> cannot flag anomalies with <paramref name="score"/> (it cannot compute it, or has no
    /// threshold for it), naming the score; null when it can.</summary>
    public static string? ScoreProblem(IConditionModel model, AnomalyScore score)
    {
        ArgumentNullException.ThrowIfNull(model);
        var name = AnomalyScores.Name(score);
        if (!AnomalyScores.Supports(model, score))
            return $"model {model.Manifest.Version} ({model.Manifest.Kind}) has no anomaly score '{name}'.";
        if (model.Manifest.ThresholdOf(score) is null)
            return $"model {model.Manifest.Version} has no threshold for the anomaly score '{name}' (it was trained before per-score thresholds).";
        return null;
    }

    private static double Round(double v) => Math.Round(v, 4);
}
