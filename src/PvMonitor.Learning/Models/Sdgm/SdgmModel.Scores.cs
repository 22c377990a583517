using PvMonitor.Learning.Torch;
using PvMonitor.Learning.Models.Latent;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Models.Sdgm;

// The selectable anomaly scores (kept apart from classification and the ELBO in SdgmModel.cs).
public sealed partial class SdgmModel : IAnomalyScoringModel
{
    /// <inheritdoc />
    public bool Supports(AnomalyScore score) => score is AnomalyScore.Elbo or AnomalyScore.IwElbo or AnomalyScore.Lk;

    /// <inheritdoc />
    /// <remarks><c>elbo</c> is U(x) averaged over <see cref="LatentModel.ElboSamples"/> draws as <see cref="LatentModel.Score"/> gives it; <c>iw-elbo</c> the
    /// importance-weighted bound with the manifest's recorded sample count (default <see cref="AnomalyScores.ImportanceSamples"/>);
    /// <c>lk</c> L^{&gt;1} (<see cref="HighLevelBound"/>) averaged over <see cref="LatentModel.ElboSamples"/> draws.</remarks>
    public void ScoreAnomaly(AnomalyScore score, ReadOnlySpan<float> features, int rows, Span<float> result)
    {
        if (result.Length < rows) throw new ArgumentException($"result holds {result.Length} values, {rows} needed.", nameof(result));
        switch (score)
        {
            case AnomalyScore.Elbo:
                Score(features, rows, new float[rows * Network.Classes], result[..rows], default);
                break;
            case AnomalyScore.IwElbo:
                var samples = Manifest.ThresholdOf(AnomalyScore.IwElbo)?.Samples ?? AnomalyScores.ImportanceSamples;
                ImportanceWeightedElbo(features, rows, samples, result, NoiseSeed(rows));
                break;
            case AnomalyScore.Lk:
                HighLevelBound(features, rows, result);
                break;
            default:
                throw new NotSupportedException($"The SDGM has no anomaly score {score}.");
        }
    }

    /// <summary>
    /// BIVA's L^{&gt;1} bound per row of raw features, nats (see <see cref="SdgmNetwork.HighLevelBound"/> for the equation and
    /// how it is sampled), averaged over <see cref="LatentModel.ElboSamples"/> draws; noise seeded by the manifest's seed and the row count.
    /// </summary>
    public void HighLevelBound(ReadOnlySpan<float> features, int rows, Span<float> result)
    {
        int d = Network.Features;
        if (features.Length < rows * d) throw new ArgumentException($"features holds {features.Length} values, {rows} rows need {rows * d}.", nameof(features));
        if (result.Length < rows) throw new ArgumentException($"result holds {result.Length} values, {rows} needed.", nameof(result));
        if (rows == 0) return;
        using var mode = inference_mode();
        using var generator = new Generator(NoiseSeed(rows), Device);
        for (int start = 0; start < rows; start += ChunkRows)
        {
            int n = Math.Min(ChunkRows, rows - start);
            using var scope = NewDisposeScope();
            var x = Standardise(features.Slice(start * d, n * d), n);
            Tensor? sum = null;
            for (int s = 0; s < ElboSamples; s++)
            {
                var bound = Network.HighLevelBound(x, generator);
                sum = sum is null ? bound : sum + bound;
            }

            CopyOut(sum!.Over(ElboSamples), result.Slice(start, n));
        }
    }

    /// <summary>Same input batch → same noise → same scores.</summary>
    private ulong NoiseSeed(int rows) => unchecked((ulong)Manifest.Seed * 0x9E3779B97F4A7C15UL + (ulong)rows);
}
