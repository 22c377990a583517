using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Scoring;
using PvMonitor.Monitoring.Storage;
using PvMonitor.Monitoring.Tests.Pipeline;

namespace PvMonitor.Monitoring.Tests.Scoring;

public class ConditionScorerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly StringKey[] Keys = [new("p", "i", "s1"), new("p", "i", "s2"), new("p", "i", "s3")];

    // s1: normal, wind 3 (in distribution); s2: night; s3: low voltage (PS7) and wind 20 (anomalous under the −10 nats threshold).
    private static readonly TelemetrySample[] Samples =
    [
        new(T0, 8, 600, 800, 20, 40, 3),
        new(T0, 0, 0, 5, 15, 15, 3),
        new(T0, 8, 250, 800, 20, 40, 20),
    ];

    private static readonly bool[] Night = [false, true, false];

    [Fact]
    public void Each_row_gets_its_condition_and_night_rows_never_reach_the_model()
    {
        var model = new FakeConditionModel();
        var scorer = new ConditionScorer(model);
        var batch = scorer.CreateBatch(8);

        scorer.Score(Keys, Samples, Night, batch);

        batch.Count.Should().Be(3);
        batch.ScoredCount.Should().Be(2, "the night row is stored, not scored");
        batch.Error.Should().BeNull();
        batch.TryGetCondition(0, out var normal).Should().BeTrue();
        (normal.Key, normal.Condition, normal.Anomaly, normal.Night).Should().Be((Keys[0], "N", false, false));
        normal.Confidence.Should().BeApproximately(0.95, 1e-6);
        normal.Probabilities.ToArray().Should().Equal([0.95f, 0.05f]);

        batch.TryGetCondition(1, out var night).Should().BeTrue();
        (night.Condition, night.Night).Should().Be((ConditionRecord.NightCondition, true));
        batch.ClassProbabilities(1).IsEmpty.Should().BeTrue();

        batch.TryGetCondition(2, out var fault).Should().BeTrue();
        (fault.Condition, fault.Anomaly, fault.Elbo).Should().Be(("PS7", true, -17.0));
        fault.Features.Should().Equal("I", "V", "G", "TExt", "TMod", "W");
        fault.ReconstructionZ.ToArray()[5].Should().Be(17f, "the wind sensor is the one that looks wrong");
        batch.ClassProbabilities(2).ToArray().Should().Equal([0.05f, 0.95f]);
    }

    [Fact]
    public void A_model_failure_leaves_scored_rows_without_a_condition_and_keeps_night_rows()
    {
        var scorer = new ConditionScorer(new FakeConditionModel(throwOnScore: true));
        var batch = scorer.CreateBatch(8);

        scorer.Score(Keys, Samples, Night, batch);

        batch.Error.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("fake model failure");
        batch.TryGetCondition(0, out _).Should().BeFalse();
        batch.TryGetCondition(1, out var night).Should().BeTrue();
        night.Night.Should().BeTrue();
        batch.TryGetCondition(2, out _).Should().BeFalse();
    }

    [Fact]
    public void A_reused_batch_forgets_the_previous_failure()
    {
        var model = new FakeConditionModel(throwOnScore: true);
        var scorer = new ConditionScorer(model);
        var batch = scorer.CreateBatch(8);
        scorer.Score(Keys, Samples, Night, batch);

        model.ThrowOnScore = false;
        scorer.Score(Keys.AsSpan(0, 1), Samples.AsSpan(0, 1), Night.AsSpan(0, 1), batch);

        batch.Error.Should().BeNull();
        batch.Count.Should().Be(1);
        batch.TryGetCondition(0, out var row).Should().BeTrue();
        row.Condition.Should().Be("N");
    }

    [Fact]
    public void Mismatched_inputs_and_buffers_are_refused_naming_the_problem()
    {
        var scorer = new ConditionScorer(new FakeConditionModel());
        var score = () => scorer.Score(Keys, Samples.AsSpan(0, 2), Night, scorer.CreateBatch(8));
        score.Should().Throw<ArgumentException>().WithMessage("*one entry per row*");

        var tooSmall = () => scorer.Score(Keys, Samples, Night, scorer.CreateBatch(2));
        tooSmall.Should().Throw<ArgumentException>().WithMessage("*exceeds the 2 this buffer holds*");

        var wrongShape = () => scorer.Score(Keys, Samples, Night, new ScoredBatch(8, features: 3, classes: 2));
        wrongShape.Should().Throw<ArgumentException>().WithMessage("*3 features*");
    }
}
