using PvMonitor.Domain.Telemetry;
using PvMonitor.Learning.Models;
using PvMonitor.Monitoring.Scoring;
using PvMonitor.Monitoring.Storage;
using PvMonitor.Monitoring.Tests.Pipeline;

namespace PvMonitor.Monitoring.Tests.Scoring;

public class AnomalyScoreSelectionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly StringKey[] Keys = [new("p", "i", "s1"), new("p", "i", "s2")];

    // s1: V 250 and TMod 70 (anomalous by lk: −|TMod − 40| = −30 below −5); s2: wind 20 (anomalous by the ELBO, −17 below −10).
    private static readonly TelemetrySample[] Samples = [new(T0, 8, 250, 800, 20, 70, 3), new(T0, 8, 600, 800, 20, 40, 20)];

    /// <summary>The fake SDGM plus an <c>lk</c> score of −|TMod − 40| nats, with an lk threshold of −5 when <paramref name="calibrated"/>.</summary>
    private sealed class FakeScoringModel(bool calibrated) : IAnomalyScoringModel
    {
        private readonly FakeConditionModel _inner = new();

        public ModelManifest Manifest => _inner.Manifest with
        {
            Thresholds = calibrated ? new Dictionary<string, ScoreThreshold> { ["elbo"] = new(-10, 0.5), ["lk"] = new(-5, 0.5) } : null,
        };

        public IReadOnlyList<string> Features => _inner.Features;

        public IReadOnlyList<string> Classes => _inner.Classes;

        public bool HasElbo => true;

        public void Score(ReadOnlySpan<float> features, int rows, Span<float> probabilities, Span<float> elbo, Span<float> reconstructionZ) =>
            _inner.Score(features, rows, probabilities, elbo, reconstructionZ);

        public bool Supports(AnomalyScore score) => score is AnomalyScore.Elbo or AnomalyScore.Lk;

        public void ScoreAnomaly(AnomalyScore score, ReadOnlySpan<float> features, int rows, Span<float> result)
        {
            for (var r = 0; r < rows; r++) result[r] = -Math.Abs(features[r * 6 + 4] - 40);
        }
    }

    [Fact]
    public void The_selected_score_flags_against_its_own_threshold_and_the_elbo_is_still_stored()
    {
        var scorer = new ConditionScorer(new FakeScoringModel(calibrated: true), AnomalyScore.Lk);
        scorer.Threshold.Should().Be(-5);
        var batch = scorer.CreateBatch(4);

        scorer.Score(Keys, Samples, [false, false], batch);

        batch.TryGetCondition(0, out var hot).Should().BeTrue();
        (hot.Anomaly, hot.Elbo).Should().Be((true, 0.0), "lk −30 is below −5 although the ELBO (0) is not below −10");
        batch.TryGetCondition(1, out var windy).Should().BeTrue();
        (windy.Anomaly, windy.Elbo).Should().Be((false, -17.0), "lk 0 is above −5; the ELBO alone no longer flags");

        var byElbo = new ConditionScorer(new FakeScoringModel(calibrated: true));
        var elboBatch = byElbo.CreateBatch(4);
        byElbo.Score(Keys, Samples, [false, false], elboBatch);
        elboBatch.TryGetCondition(1, out var windyByElbo).Should().BeTrue();
        windyByElbo.Anomaly.Should().BeTrue();
    }

    [Fact]
    public void A_score_the_model_has_no_threshold_for_or_cannot_compute_is_refused_naming_it()
    {
        var uncalibrated = () => new ConditionScorer(new FakeScoringModel(calibrated: false), AnomalyScore.Lk);
        uncalibrated.Should().Throw<ArgumentException>().WithMessage("*no threshold for the anomaly score 'lk'*");
        var unsupported = () => new ConditionScorer(new FakeScoringModel(calibrated: true), AnomalyScore.IwElbo);
        unsupported.Should().Throw<ArgumentException>().WithMessage("*has no anomaly score 'iw-elbo'*");
        var plain = () => new ConditionScorer(new FakeConditionModel(), AnomalyScore.Lk);
        plain.Should().Throw<ArgumentException>().WithMessage("*has no anomaly score 'lk'*");
        new ConditionScorer(new FakeConditionModel()).Threshold.Should().Be(-10, "an old manifest's ELBO threshold still applies");
    }
}
