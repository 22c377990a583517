using PvMonitor.Reports;

namespace PvMonitor.Tests.Reports;

/// <summary>Histogram bins: Freedman–Diaconis over the 1st–99th percentile, tails in overflow bins.</summary>
public sealed class HistogramBinsTests
{
    [Fact]
    public void Skewed_data_with_a_far_tail_is_spread_over_many_bins_and_the_tail_goes_to_the_overflow_bin()
    {
        // 990 ELBO-like rows between −20 and 0 nats and 10 rows (1 %) between −5,000 and −50,000 nats.
        var values = Enumerable.Range(0, 990).Select(i => -20.0 * (i + 0.5) / 990)
            .Concat(Enumerable.Range(0, 10).Select(i => -5000.0 * (i + 1))).ToArray();

        var bins = HistogramBins.FreedmanDiaconis(values);
        var counts = bins.Count(values);

        bins.Bins.Should().BeGreaterThan(20);
        counts.Skip(1).SkipLast(1).Count(c => c > 0).Should().BeGreaterThan(6, "the bulk is not squeezed into a few bins");
        counts.Skip(1).SkipLast(1).Max().Should().BeLessThan(150);
        counts[0].Should().BeInRange(1, 10, "the far tail is counted below the first edge");
        counts.Sum().Should().Be(values.Length);
    }

    [Fact]
    public void Exponentially_skewed_data_gets_freedman_diaconis_bins_with_nice_edges()
    {
        var values = Enumerable.Range(0, 1000).Select(i => -Math.Log(1 - (i + 0.5) / 1000)).ToArray(); // exponential quantiles

        var bins = HistogramBins.FreedmanDiaconis(values);

        bins.Bins.Should().BeInRange(15, 30, "width 2·IQR·n^(−1/3) ≈ 0.22, rounded up to 0.25, over 0.01–4.6");
        var width = bins.Edges[1] - bins.Edges[0];
        width.Should().BeApproximately(0.25, 1e-12);
        bins.Edges.Should().AllSatisfy(e => (e / width).Should().BeApproximately(Math.Round(e / width), 1e-9));
        bins.Count(values)[^1].Should().BeGreaterThan(0, "the top 1 % overflows");
    }

    [Fact]
    public void Constant_values_fall_in_one_bin()
    {
        var bins = HistogramBins.FreedmanDiaconis([3.0, 3.0, 3.0]);

        bins.Count([3.0, 3.0, 3.0]).Should().Equal(0, 3, 0);
    }
}
