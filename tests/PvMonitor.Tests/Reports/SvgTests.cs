using System.Xml.Linq;
using PvMonitor.Reports;

namespace PvMonitor.Tests.Reports;

/// <summary>Rendered figures: their tick labels, clipped outliers and histogram bars as written in the SVG.</summary>
public sealed class SvgTests
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    [Fact]
    public void An_accuracy_plot_ticks_x_at_the_label_budgets_and_y_at_nice_numbers()
    {
        double[] budgets = [100, 300, 500, 700, 900, 1100, 1300, 1500];
        var sdgm = budgets.Select((b, i) => (b, 59.06 + i * 2.0, 0.0)).ToArray();
        var mlp = budgets.Select((b, i) => (b, 60.0 + i * 1.88, 0.0)).ToArray();

        var svg = XDocument.Parse(Svg.Lines("Accuracy vs labels", "labeled rows", "accuracy, %",
            [("SDGM", sdgm), ("MLP", mlp)], AxisScale.AtValues(budgets)));

        Ticks(svg, "tick-x").Should().Equal("100", "300", "500", "700", "900", "1,100", "1,300", "1,500");
        Ticks(svg, "tick-y").Should().Equal("55", "60", "65", "70", "75");
    }

    [Fact]
    public void A_class_count_axis_has_integer_labels_and_one_outlier_does_not_flatten_the_elbo_plot()
    {
        var included = Enumerable.Range(1, 6).Select(i => ((double)i, -10.0 - i, 3.0)).ToArray();
        var excluded = Enumerable.Range(1, 5).Select(i => ((double)i, i == 1 ? -576129.8 : -40.0 - 10 * i, 8.0)).ToArray();

        var svg = XDocument.Parse(Svg.Lines("ELBO", "classes included", "ELBO, nats",
            [("included", included), ("not included", excluded)], AxisScale.Inside(1, 6, integers: true, pad: 0.04), robustY: true));

        Ticks(svg, "tick-x").Should().Equal("1", "2", "3", "4", "5", "6");
        var y = Ticks(svg, "tick-y").Select(l => double.Parse(l.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        y.Min().Should().BeGreaterThan(-200, "the −576,130 nats mean is clipped, not given the whole axis");
        y.Max().Should().BeLessThan(50);
        svg.Descendants(Ns + "polygon").Count(p => (string?)p.Attribute("class") == "clipped").Should().Be(1);
        svg.Descendants(Ns + "text").Single(t => (string?)t.Attribute("class") == "caption").Value.Should().Contain("whiskers").And.Contain("1 mean(s)");
    }

    [Fact]
    public void An_elbo_histogram_spreads_the_included_rows_over_several_bins()
    {
        // Like bench/paper-experiment after 6 classes: seen classes −20…+3 nats, unseen ones down to −50,000 nats.
        var included = Enumerable.Range(0, 400).Select(i => (float)(-20 + 23.0 * (i + 0.5) / 400)).ToArray();
        var excluded = Enumerable.Range(0, 400).Select(i => (float)-Math.Pow(10, 0.3 + 4.4 * (i + 0.5) / 400)).ToArray();

        var svg = XDocument.Parse(Svg.Histograms("ELBO distributions", "ELBO, nats", [("included", included), ("not included", excluded)], symLog: true));

        var includedBars = svg.Descendants(Ns + "rect").Count(r => (string?)r.Attribute("class") == "bin" && (string?)r.Attribute("data-series") == "0");
        includedBars.Should().BeGreaterThan(5);
        Ticks(svg, "tick-x").Should().Contain(["-10,000", "-1,000", "-100", "-10", "0"]);
    }

    [Fact]
    public void Grouped_bars_label_each_category_and_leave_out_missing_values()
    {
        var svg = XDocument.Parse(Svg.Bars("AUROC", "anomaly score", "AUROC", ["elbo", "iw-elbo", "lk"],
            [("sdgm", [(0.8, 0.05), (0.85, 0.0), (0.9, 0.1)]), ("adgm", [(0.7, 0.0), (double.NaN, 0.0), (0.75, 0.02)])], AxisScale.Covering(0, 1)));

        Ticks(svg, "tick-x").Should().Equal("elbo", "iw-elbo", "lk");
        Ticks(svg, "tick-y").Should().Equal("0.0", "0.2", "0.4", "0.6", "0.8", "1.0");
        var bars = svg.Descendants(Ns + "rect").Where(r => (string?)r.Attribute("class") == "bar").ToArray();
        bars.Should().HaveCount(5, "adgm has no iw-elbo value");
        double Height(XElement r) => double.Parse((string)r.Attribute("height")!, System.Globalization.CultureInfo.InvariantCulture);
        Height(bars[2]).Should().BeGreaterThan(Height(bars[0]), "0.9 is taller than 0.8");
    }

    private static string[] Ticks(XDocument svg, string kind) =>
        svg.Descendants(Ns + "text").Where(t => (string?)t.Attribute("class") == kind).Select(t => t.Value).ToArray();
}
