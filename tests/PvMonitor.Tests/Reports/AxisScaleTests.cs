using PvMonitor.Reports;

namespace PvMonitor.Tests.Reports;

/// <summary>Figure axes: nice steps around the data, integer ticks for counts, the budgets that ran on Fig. 7's x axis.</summary>
public sealed class AxisScaleTests
{
    [Theory]
    [InlineData(59.06, 73.26)]
    [InlineData(0.013, 0.087)]
    [InlineData(-576129.8, 129186.26)]
    [InlineData(-3.7, -3.7)]
    public void Covering_ticks_are_multiples_of_a_nice_step_and_span_the_data(double low, double high)
    {
        var axis = AxisScale.Covering(low, high);

        axis.Ticks.Count.Should().BeInRange(3, 7);
        axis.Ticks[0].Should().BeLessThanOrEqualTo(low);
        axis.Ticks[^1].Should().BeGreaterThanOrEqualTo(high);
        (axis.Min, axis.Max).Should().Be((axis.Ticks[0], axis.Ticks[^1]));
        var step = axis.Ticks[1] - axis.Ticks[0];
        IsNice(step).Should().BeTrue($"step {step} is 1, 2, 2.5 or 5 × 10^k");
        axis.Ticks.Zip(axis.Ticks.Skip(1)).Should().AllSatisfy(p => (p.Second - p.First).Should().BeApproximately(step, step * 1e-9));
        axis.Ticks.Should().AllSatisfy(t => (t / step).Should().BeApproximately(Math.Round(t / step), 1e-9));
    }

    [Fact]
    public void The_range_59_06_to_73_26_is_ticked_at_55_60_65_70_75()
    {
        var axis = AxisScale.Covering(59.06, 73.26);

        axis.Labels.Should().Equal("55", "60", "65", "70", "75");
    }

    [Theory]
    [InlineData(1, 6)]
    [InlineData(1, 4)]
    [InlineData(1, 2)]
    [InlineData(1, 10)]
    [InlineData(1, 37)]
    public void Class_counts_are_ticked_at_integers_only(int first, int last)
    {
        var axis = AxisScale.Inside(first, last, integers: true, pad: 0.04);

        axis.Ticks.Should().NotBeEmpty().And.AllSatisfy(t => t.Should().Be(Math.Round(t)));
        axis.Labels.Should().NotContain(l => l.Contains('.'));
        axis.Ticks.Should().AllSatisfy(t => t.Should().BeInRange(first, last));
        if (last - first < 8) axis.Ticks.Should().Equal(Enumerable.Range(first, last - first + 1).Select(i => (double)i));
    }

    [Fact]
    public void Value_ticks_are_exactly_the_given_label_budgets()
    {
        var axis = AxisScale.AtValues([100, 300, 500, 700, 900, 1100, 1300, 1500, 300, 100]);

        axis.Ticks.Should().Equal(100, 300, 500, 700, 900, 1100, 1300, 1500);
        axis.Labels.Should().Equal("100", "300", "500", "700", "900", "1,100", "1,300", "1,500");
        axis.Min.Should().BeLessThan(100);
        axis.Max.Should().BeGreaterThan(1500);
    }

    [Fact]
    public void Symmetric_log_ticks_are_decades_labelled_with_the_original_values()
    {
        var axis = AxisScale.SymmetricLog(AxisScale.SymLog(-54075.7), AxisScale.SymLog(3.2));

        axis.Labels.Should().Equal("-10,000", "-1,000", "-100", "-10", "-1", "0", "1");
        axis.Ticks.Should().Equal(axis.Labels.Select(l => AxisScale.SymLog(double.Parse(l, System.Globalization.CultureInfo.InvariantCulture))));
    }

    private static bool IsNice(double step)
    {
        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
        return new[] { 1, 2, 2.5, 5, 10 }.Any(m => Math.Abs(mantissa - m) < 1e-9);
    }
}
