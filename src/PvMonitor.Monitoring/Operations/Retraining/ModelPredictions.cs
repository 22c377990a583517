using PvMonitor.Learning.Models;
using PvMonitor.Monitoring.Scoring;

namespace PvMonitor.Monitoring.Operations.Retraining;

/// <summary>A model's most probable class, its probability and the anomaly flag for every row of a table, scored in chunks.</summary>
/// <param name="Best">Index into the model's classes.</param>
/// <param name="Confidence">Probability of that class.</param>
/// <param name="Anomalous">ELBO below the model's threshold (false for models without an ELBO).</param>
internal sealed record ModelPredictions(int[] Best, float[] Confidence, bool[] Anomalous)
{
    private const int Chunk = 4096;

    /// <summary>Scores <paramref name="rows"/> rows of <paramref name="features"/> (row-major, the model's feature order).</summary>
    public static ModelPredictions Of(IConditionModel model, float[] features, int rows)
    {
        var d = model.Features.Count;
        var k = model.Classes.Count;
        var threshold = model.HasElbo && model.Manifest.Threshold is { } t ? t.Elbo : double.NegativeInfinity;
        var result = new ModelPredictions(new int[rows], new float[rows], new bool[rows]);
        var p = new float[Chunk * k];
        var elbo = model.HasElbo ? new float[Chunk] : [];
        var z = model.HasElbo ? new float[Chunk * d] : [];
        for (var start = 0; start < rows; start += Chunk)
        {
            var n = Math.Min(Chunk, rows - start);
            model.Score(features.AsSpan(start * d, n * d), n, p, elbo.AsSpan(0, model.HasElbo ? n : 0), z.AsSpan(0, model.HasElbo ? n * d : 0));
            for (var r = 0; r < n; r++)
            {
                var (best, confidence) = ConditionScorer.ArgMax(p.AsSpan(r * k, k));
                result.Best[start + r] = best;
                result.Confidence[start + r] = confidence;
                result.Anomalous[start + r] = model.HasElbo && elbo[r] < threshold;
            }
        }

        return result;
    }
}
