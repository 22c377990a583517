using PvMonitor.Learning.Evaluation;

namespace PvMonitor.Learning.Tests.Evaluation;

public class MetricsTests
{
    [Fact]
    public void Report_matches_hand_computed_values()
    {
        // truth:     0 0 0 1 1 2 ; predicted: 0 0 1 1 2 2
        int[] truth = [0, 0, 0, 1, 1, 2, -1];
        int[] pred = [0, 0, 1, 1, 2, 2, 0];
        var r = ClassificationReport.Compute(truth, pred, 3);
        r.Count.Should().Be(6);
        r.Accuracy.Should().BeApproximately(4.0 / 6, 1e-12);
        r.Confusion[0, 1].Should().Be(1);
        r.PerClass[0].Precision.Should().Be(1.0);
        r.PerClass[0].Recall.Should().BeApproximately(2.0 / 3, 1e-12);
        r.PerClass[1].Precision.Should().Be(0.5);
        r.PerClass[2].F1.Should().BeApproximately(2 * 0.5 * 1 / 1.5, 1e-12);
        double f1a = 2 * 1 * (2.0 / 3) / (1 + 2.0 / 3), f1b = 0.5, f1c = 2.0 / 3;
        r.MacroF1.Should().BeApproximately((f1a + f1b + f1c) / 3, 1e-12);
    }

    [Fact]
    public void Auroc_is_one_for_perfect_separation_half_for_ties_and_counts_pairs()
    {
        RankStatistics.Auroc([0.1f, 0.2f, 0.8f, 0.9f], [false, false, true, true]).Should().Be(1.0);
        RankStatistics.Auroc([0.5f, 0.5f], [false, true]).Should().Be(0.5);
        // pairs (pos, neg): (0.3 vs 0.1) win, (0.3 vs 0.4) lose, (0.9 vs both) win → 3/4
        RankStatistics.Auroc([0.1f, 0.4f, 0.3f, 0.9f], [false, false, true, true]).Should().Be(0.75);
        double.IsNaN(RankStatistics.Auroc([1f, 2f], [true, true])).Should().BeTrue();
    }

    [Fact]
    public void Percentile_interpolates_like_numpy()
    {
        float[] v = [4, 1, 3, 2, 5];
        RankStatistics.Percentile(v, 0).Should().Be(1);
        RankStatistics.Percentile(v, 50).Should().Be(3);
        RankStatistics.Percentile(v, 100).Should().Be(5);
        RankStatistics.Percentile(v, 10).Should().BeApproximately(1.4, 1e-9);
    }
}
