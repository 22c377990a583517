using System.Globalization;
using System.Text;

namespace PvMonitor.Reports;

/// <summary>
/// Minimal SVG charts written as text: lines with error bars, grouped bars, scatter, heat map, histograms. Axes come from
/// <see cref="AxisScale"/> (nice, integer, given-value or symmetric-log ticks); tick labels carry <c>class="tick-x"</c> or
/// <c>class="tick-y"</c>.
/// </summary>
internal static class Svg
{
    public static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"];

    private const int W = 640, H = 420, L = 64, R = 150, T = 50, B = 50;

    public static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>
    /// Series of (x, mean, std) points drawn as lines with error bars over the x axis <paramref name="x"/>. The y axis has nice
    /// ticks around all means and error-bar ends, or with <paramref name="robustY"/> around their whiskers only (Q1 − 1.5 IQR to
    /// Q3 + 1.5 IQR), lines and bars clipped at the plot's edge, clipped means drawn as triangles there and counted in a caption.
    /// </summary>
    public static string Lines(string title, string xLabel, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<(double X, double Y, double Err)> Points)> series, AxisScale x, bool robustY = false)
    {
        var values = series.SelectMany(s => s.Points).SelectMany(p => new[] { p.Y, p.Y - p.Err, p.Y + p.Err }).Where(double.IsFinite).ToArray();
        var (low, high) = robustY ? RobustRange.Whiskers(values) : (values.DefaultIfEmpty(0).Min(), values.DefaultIfEmpty(1).Max());
        var y = AxisScale.Covering(low, high);
        int clipped = series.Sum(s => s.Points.Count(p => p.Y < y.Min || p.Y > y.Max));
        int clippedBars = series.Sum(s => s.Points.Count(p => p.Y - p.Err < y.Min || p.Y + p.Err > y.Max));
        var caption = clippedBars == 0 ? null
            : $"y axis: whiskers of the plotted values; {clipped} mean(s) beyond it drawn as ▲/▼ at the edge, {clippedBars} error bar(s) cut";
        var sb = Begin(title, caption);
        Axes(sb, x, y, xLabel, yLabel);
        sb.Append($"<clipPath id=\"plot\"><rect x=\"{L}\" y=\"{T}\" width=\"{W - L - R}\" height=\"{H - T - B}\"/></clipPath>\n<g clip-path=\"url(#plot)\">\n");
        for (int s = 0; s < series.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            var pts = series[s].Points.Where(p => double.IsFinite(p.Y)).OrderBy(p => p.X).ToArray();
            sb.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"");
            foreach (var p in pts) sb.Append($"{F(Sx(p.X, x))},{F(Sy(p.Y, y))} ");
            sb.Append("\"/>\n");
            foreach (var p in pts)
            {
                double cx = Sx(p.X, x);
                sb.Append($"<line x1=\"{F(cx)}\" x2=\"{F(cx)}\" y1=\"{F(Sy(p.Y - p.Err, y))}\" y2=\"{F(Sy(p.Y + p.Err, y))}\" stroke=\"{color}\"/>\n");
                sb.Append($"<circle cx=\"{F(cx)}\" cy=\"{F(Sy(p.Y, y))}\" r=\"3\" fill=\"{color}\"/>\n");
            }
        }

        sb.Append("</g>\n");
        for (int s = 0; s < series.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            foreach (var p in series[s].Points.Where(p => p.Y < y.Min || p.Y > y.Max))
            {
                double cx = Sx(p.X, x);
                var (edge, tip) = p.Y > y.Max ? (T + 9.0, T + 1.0) : (H - B - 9.0, H - B - 1.0);
                sb.Append($"<polygon class=\"clipped\" points=\"{F(cx - 5)},{F(edge)} {F(cx + 5)},{F(edge)} {F(cx)},{F(tip)}\" fill=\"{color}\"/>\n");
            }

            Legend(sb, s, series[s].Name, color);
        }

        return End(sb);
    }

    /// <summary>
    /// Grouped bars with error bars: one group per category along the x axis, one bar per series in each group (a NaN value
    /// leaves its bar out), rising from the bottom of <paramref name="y"/>; bars carry <c>class="bar"</c>.
    /// </summary>
    public static string Bars(string title, string xLabel, string yLabel, IReadOnlyList<string> categories,
        IReadOnlyList<(string Name, IReadOnlyList<(double Value, double Err)> Values)> series, AxisScale y)
    {
        var x = Categories(categories);
        var sb = Begin(title, null);
        Axes(sb, x, y, xLabel, yLabel);
        double group = 0.8, width = group / Math.Max(1, series.Count);
        for (int s = 0; s < series.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            for (int c = 0; c < categories.Count && c < series[s].Values.Count; c++)
            {
                var (value, err) = series[s].Values[c];
                if (!double.IsFinite(value)) continue;
                double left = c + 1 - group / 2 + s * width;
                double top = Sy(Math.Clamp(value, y.Min, y.Max), y), bottom = Sy(y.Min, y), mid = Sx(left + width / 2, x);
                sb.Append($"<rect class=\"bar\" x=\"{F(Sx(left, x))}\" y=\"{F(top)}\" width=\"{F(Sx(left + width, x) - Sx(left, x))}\" height=\"{F(bottom - top)}\" fill=\"{color}\" fill-opacity=\"0.8\"/>\n");
                if (err > 0 && double.IsFinite(err))
                    sb.Append($"<line x1=\"{F(mid)}\" x2=\"{F(mid)}\" y1=\"{F(Sy(Math.Max(value - err, y.Min), y))}\" y2=\"{F(Sy(Math.Min(value + err, y.Max), y))}\" stroke=\"black\"/>\n");
            }

            Legend(sb, s, series[s].Name, color);
        }

        return End(sb);
    }

    /// <summary>A categorical x axis: one tick per category at 1, 2, …, labelled with its name.</summary>
    public static AxisScale Categories(IReadOnlyList<string> categories) =>
        new(0.5, categories.Count + 0.5, Enumerable.Range(1, categories.Count).Select(i => (double)i).ToArray(), categories);

    /// <summary>Points coloured by category, on nice axes around all points.</summary>
    public static string Scatter(string title, string xLabel, string yLabel, IReadOnlyList<float> xs, IReadOnlyList<float> ys, IReadOnlyList<string> categories, IReadOnlyList<string> order)
    {
        var x = AxisScale.Covering(xs.DefaultIfEmpty(0).Min(), xs.DefaultIfEmpty(1).Max());
        var y = AxisScale.Covering(ys.DefaultIfEmpty(0).Min(), ys.DefaultIfEmpty(1).Max());
        var sb = Begin(title, null);
        Axes(sb, x, y, xLabel, yLabel);
        for (int i = 0; i < xs.Count; i++)
        {
            int c = Math.Max(0, IndexOf(order, categories[i]));
            sb.Append($"<circle cx=\"{F(Sx(xs[i], x))}\" cy=\"{F(Sy(ys[i], y))}\" r=\"1.8\" fill=\"{Palette[c % Palette.Length]}\" fill-opacity=\"0.6\"/>\n");
        }

        for (int c = 0; c < order.Count; c++) Legend(sb, c, order[c], Palette[c % Palette.Length]);
        return End(sb);
    }

    /// <summary>A row-normalised confusion matrix as a heat map with counts.</summary>
    public static string Confusion(string title, IReadOnlyList<string> labels, int[][] matrix)
    {
        int k = labels.Count;
        double cell = Math.Min(44, 360.0 / k);
        double ox = 70, oy = 50;
        var sb = new StringBuilder();
        double width = ox + cell * k + 20, height = oy + cell * k + 40;
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(width)}\" height=\"{F(height)}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append($"<text x=\"{F(width / 2)}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">{Escape(title)}</text>\n");
        for (int t = 0; t < k; t++)
        {
            double rowSum = Math.Max(1, matrix[t].Sum());
            for (int p = 0; p < k; p++)
            {
                double v = matrix[t][p] / rowSum;
                int shade = (int)Math.Round(255 * (1 - v));
                sb.Append($"<rect x=\"{F(ox + p * cell)}\" y=\"{F(oy + t * cell)}\" width=\"{F(cell)}\" height=\"{F(cell)}\" fill=\"rgb({shade},{shade},255)\" stroke=\"#ddd\"/>\n");
                if (matrix[t][p] > 0)
                    sb.Append($"<text x=\"{F(ox + p * cell + cell / 2)}\" y=\"{F(oy + t * cell + cell / 2 + 4)}\" text-anchor=\"middle\" font-size=\"9\" fill=\"{(v > 0.5 ? "white" : "black")}\">{F(v * 100)}</text>\n");
            }

            sb.Append($"<text x=\"{F(ox - 5)}\" y=\"{F(oy + t * cell + cell / 2 + 4)}\" text-anchor=\"end\">{Escape(labels[t])}</text>\n");
            sb.Append($"<text x=\"{F(ox + t * cell + cell / 2)}\" y=\"{F(oy - 5)}\" text-anchor=\"middle\">{Escape(labels[t])}</text>\n");
        }

        sb.Append($"<text x=\"{F(ox + cell * k / 2)}\" y=\"{F(height - 10)}\" text-anchor=\"middle\">predicted (row-normalised %, rows = true class)</text>\n");
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    /// <summary>
    /// Overlaid histograms (fraction of each sample per bin) on Freedman–Diaconis bins over the 1st–99th percentile of all
    /// values (<see cref="HistogramBins"/>), with an overflow bar at each end for the tails. With <paramref name="symLog"/> the
    /// x axis is sign(x)·log10(1 + |x|), for samples whose scales differ by decades (ELBOs of seen and unseen classes).
    /// </summary>
    public static string Histograms(string title, string xLabel, IReadOnlyList<(string Name, IReadOnlyList<float> Values)> samples, bool symLog = false)
    {
        double Map(double v) => symLog ? AxisScale.SymLog(v) : v;
        var bins = HistogramBins.FreedmanDiaconis(samples.SelectMany(s => s.Values).Select(v => Map(v)), niceEdges: !symLog);
        var fractions = samples.Select(s =>
        {
            var counts = bins.Count(s.Values.Select(v => Map(v)));
            return counts.Select(c => (double)c / Math.Max(1, s.Values.Count)).ToArray();
        }).ToArray();
        bool below = fractions.Any(f => f[0] > 0), above = fractions.Any(f => f[^1] > 0);
        double e0 = bins.Edges[0], e1 = bins.Edges[^1], w = (e1 - e0) / bins.Bins;
        var ticks = symLog ? AxisScale.SymmetricLog(e0, e1) : AxisScale.Inside(e0, e1);
        var x = ticks with { Min = e0 - (below ? 1.5 * w : 0), Max = e1 + (above ? 1.5 * w : 0) };
        var y = AxisScale.Covering(0, Math.Max(1e-9, fractions.SelectMany(f => f).Max()));
        var caption = below || above ? "outer bars, set apart: rows below the 1st / above the 99th percentile of all values" : null;
        var sb = Begin(title, caption);
        Axes(sb, x, y, xLabel + (symLog ? " (symmetric log scale)" : ""), "fraction of rows");
        for (int s = 0; s < samples.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            void Bar(double from, double to, double fraction, string kind)
            {
                if (fraction <= 0) return;
                double top = Sy(fraction, y), bottom = Sy(0, y);
                sb.Append($"<rect class=\"{kind}\" data-series=\"{s}\" x=\"{F(Sx(from, x))}\" y=\"{F(top)}\" width=\"{F(Sx(to, x) - Sx(from, x))}\" height=\"{F(bottom - top)}\" fill=\"{color}\" fill-opacity=\"0.45\"/>\n");
            }

            Bar(e0 - 1.5 * w, e0 - 0.5 * w, fractions[s][0], "overflow");
            for (int b = 0; b < bins.Bins; b++) Bar(bins.Edges[b], bins.Edges[b + 1], fractions[s][b + 1], "bin");
            Bar(e1 + 0.5 * w, e1 + 1.5 * w, fractions[s][^1], "overflow");
            Legend(sb, s, samples[s].Name, color);
        }

        double Unmap(double t) => symLog ? Math.CopySign(Math.Pow(10, Math.Abs(t)) - 1, t) : t;
        string Edge(double t) => AxisScale.Format(Unmap(t), Math.Abs(Unmap(t)) >= 10 ? 0 : 1);
        if (below) sb.Append($"<text x=\"{F(Sx(e0 - w, x))}\" y=\"{H - B + 28}\" text-anchor=\"middle\" font-size=\"9\">&lt; {Edge(e0)}</text>\n");
        if (above) sb.Append($"<text x=\"{F(Sx(e1 + w, x))}\" y=\"{H - B + 28}\" text-anchor=\"middle\" font-size=\"9\">&gt; {Edge(e1)}</text>\n");
        return End(sb);
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == item) return i;
        return -1;
    }

    private static StringBuilder Begin(string title, string? caption)
    {
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append($"<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/>\n");
        sb.Append($"<text x=\"{(W - R + L) / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{Escape(title)}</text>\n");
        if (caption is not null) sb.Append($"<text class=\"caption\" x=\"{(W - R + L) / 2}\" y=\"39\" text-anchor=\"middle\" font-size=\"10\" fill=\"#555\">{Escape(caption)}</text>\n");
        return sb;
    }

    private static string End(StringBuilder sb) => sb.Append("</svg>\n").ToString();

    private static double Sx(double x, AxisScale a) => L + (x - a.Min) / (a.Max - a.Min) * (W - L - R);

    private static double Sy(double y, AxisScale a) => H - B - (y - a.Min) / (a.Max - a.Min) * (H - T - B);

    private static void Axes(StringBuilder sb, AxisScale x, AxisScale y, string xLabel, string yLabel)
    {
        sb.Append($"<line x1=\"{L}\" y1=\"{H - B}\" x2=\"{W - R}\" y2=\"{H - B}\" stroke=\"black\"/>\n");
        sb.Append($"<line x1=\"{L}\" y1=\"{T}\" x2=\"{L}\" y2=\"{H - B}\" stroke=\"black\"/>\n");
        double lastRight = double.NegativeInfinity;
        for (int i = 0; i < x.Ticks.Count; i++)
        {
            double px = Sx(x.Ticks[i], x), half = 3.3 * x.Labels[i].Length + 2;
            sb.Append($"<line x1=\"{F(px)}\" x2=\"{F(px)}\" y1=\"{H - B}\" y2=\"{H - B + 4}\" stroke=\"black\"/>\n");
            if (px - half < lastRight) continue; // a label that would overlap its neighbour is left out; the tick mark stays
            sb.Append($"<text class=\"tick-x\" x=\"{F(px)}\" y=\"{H - B + 15}\" text-anchor=\"middle\">{Escape(x.Labels[i])}</text>\n");
            lastRight = px + half;
        }

        for (int i = 0; i < y.Ticks.Count; i++)
        {
            double py = Sy(y.Ticks[i], y);
            sb.Append($"<line x1=\"{L}\" x2=\"{W - R}\" y1=\"{F(py)}\" y2=\"{F(py)}\" stroke=\"#eee\"/>\n");
            sb.Append($"<text class=\"tick-y\" x=\"{L - 5}\" y=\"{F(py + 4)}\" text-anchor=\"end\">{Escape(y.Labels[i])}</text>\n");
        }

        sb.Append($"<text x=\"{(W - R + L) / 2}\" y=\"{H - 8}\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n");
        sb.Append($"<text transform=\"translate(14,{(H - B + T) / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)}</text>\n");
    }

    private static void Legend(StringBuilder sb, int index, string name, string color)
    {
        double y = T + 10 + index * 16;
        sb.Append($"<rect x=\"{W - R + 10}\" y=\"{F(y - 8)}\" width=\"10\" height=\"10\" fill=\"{color}\"/>\n");
        sb.Append($"<text x=\"{W - R + 25}\" y=\"{F(y + 1)}\">{Escape(name)}</text>\n");
    }
}
