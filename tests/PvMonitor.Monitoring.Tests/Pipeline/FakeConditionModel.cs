using PvMonitor.Learning.Models;

namespace PvMonitor.Monitoring.Tests.Pipeline;

/// <summary>
/// A deterministic stand-in for the SDGM: class <c>PS7</c> (a fault) when V &lt; 300 V, else <c>N</c>; ELBO = −|W − 3| nats
/// (wind far from 3 m/s is "anomalous" under the −10 nats threshold); z-score of W = W − 3, others 0.
/// </summary>
internal sealed class FakeConditionModel : IConditionModel
{
    public FakeConditionModel(bool throwOnScore = false)
    {
        ThrowOnScore = throwOnScore;
        Manifest = new ModelManifest
        {
            Kind = "fake",
            Version = "fake-1",
            Created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Features = ["I", "V", "G", "TExt", "TMod", "W"],
            Normalisation = new NormalisationInfo([0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]),
            Classes = ["N", "PS7"],
            Hyperparameters = new Dictionary<string, double>(),
            Seed = 1,
            TrainingDataHash = "none",
            Metrics = new Dictionary<string, double>(),
            Threshold = new AnomalyThreshold(-10, 0.5),
        };
    }

    public bool ThrowOnScore { get; set; }

    public int Calls { get; private set; }

    public ModelManifest Manifest { get; }

    public IReadOnlyList<string> Features => Manifest.Features;

    public IReadOnlyList<string> Classes => Manifest.Classes;

    public bool HasElbo => true;

    public void Score(ReadOnlySpan<float> features, int rows, Span<float> probabilities, Span<float> elbo, Span<float> reconstructionZ)
    {
        Calls++;
        if (ThrowOnScore) throw new InvalidOperationException("fake model failure");
        for (var r = 0; r < rows; r++)
        {
            var v = features[r * 6 + 1];
            var w = features[r * 6 + 5];
            var fault = v < 300;
            probabilities[r * 2] = fault ? 0.05f : 0.95f;
            probabilities[r * 2 + 1] = fault ? 0.95f : 0.05f;
            if (!elbo.IsEmpty) elbo[r] = -Math.Abs(w - 3);
            if (!reconstructionZ.IsEmpty)
            {
                reconstructionZ.Slice(r * 6, 6).Clear();
                reconstructionZ[r * 6 + 5] = w - 3;
            }
        }
    }
}
