using System.Globalization;
using System.Text;

namespace PvMonitor.Reports;

/// <summary>Minimal SVG charts written as text (no chart library is available here): lines with error bars, scatter, heat map, histograms.</summary>
internal static class Svg
{
    public static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"];

    private const int W = 640, H = 420, L = 60, R = 150, T = 40, B = 50;

    public static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>Series of (x, mean, std) points drawn as lines with error bars.</summary>
    public static string Lines(string title, string xLabel, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<(double X, double Y, double Err)> Points)> series)
    {
        var all = series.SelectMany(s => s.Points).ToArray();
        double x0 = all.Min(p => p.X), x1 = all.Max(p => p.X), y0 = all.Min(p => p.Y - p.Err), y1 = all.Max(p => p.Y + p.Err);
        if (x1 == x0) x1 = x0 + 1;
        if (y1 == y0) y1 = y0 + 1;
        var sb = Begin(title);
        Axes(sb, x0, x1, y0, y1, xLabel, yLabel);
        for (int s = 0; s < series.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            var pts = series[s].Points.OrderBy(p => p.X).ToArray();
            sb.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"");
            foreach (var p in pts) sb.Append($"{F(Sx(p.X, x0, x1))},{F(Sy(p.Y, y0, y1))} ");
            sb.Append("\"/>\n");
            foreach (var p in pts)
            {
                double cx = Sx(p.X, x0, x1);
                sb.Append($"<line x1=\"{F(cx)}\" x2=\"{F(cx)}\" y1=\"{F(Sy(p.Y - p.Err, y0, y1))}\" y2=\"{F(Sy(p.Y + p.Err, y0, y1))}\" stroke=\"{color}\"/>\n");
                sb.Append($"<circle cx=\"{F(cx)}\" cy=\"{F(Sy(p.Y, y0, y1))}\" r=\"3\" fill=\"{color}\"/>\n");
            }

            Legend(sb, s, series[s].Name, color);
        }

        return End(sb);
    }

    /// <summary>Points coloured by category.</summary>
    public static string Scatter(string title, string xLabel, string yLabel, IReadOnlyList<float> xs, IReadOnlyList<float> ys, IReadOnlyList<string> categories, IReadOnlyList<string> order)
    {
        double x0 = xs.Min(), x1 = xs.Max(), y0 = ys.Min(), y1 = ys.Max();
        if (x1 == x0) x1 = x0 + 1;
        if (y1 == y0) y1 = y0 + 1;
        var sb = Begin(title);
        Axes(sb, x0, x1, y0, y1, xLabel, yLabel);
        for (int i = 0; i < xs.Count; i++)
        {
            int c = Math.Max(0, IndexOf(order, categories[i]));
            sb.Append($"<circle cx=\"{F(Sx(xs[i], x0, x1))}\" cy=\"{F(Sy(ys[i], y0, y1))}\" r=\"1.8\" fill=\"{Palette[c % Palette.Length]}\" fill-opacity=\"0.6\"/>\n");
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

    /// <summary>Overlaid histograms of several samples.</summary>
    public static string Histograms(string title, string xLabel, IReadOnlyList<(string Name, IReadOnlyList<float> Values)> samples, int bins = 40)
    {
        var all = samples.SelectMany(s => s.Values).Where(float.IsFinite).ToArray();
        // Long left tails (anomalies reach −1000 nats) would squash the bulk: start at the 10th percentile and count lower values in the first bin.
        double x0 = all.Length == 0 ? 0 : Percentile(all, 10), x1 = all.Length == 0 ? 1 : all.Max();
        if (x1 <= x0) x1 = x0 + 1;
        var counts = samples.Select(s =>
        {
            var c = new double[bins];
            foreach (var v in s.Values)
            {
                int b = (int)Math.Clamp((v - x0) / (x1 - x0) * bins, 0, bins - 1);
                c[b]++;
            }

            for (int i = 0; i < bins; i++) c[i] /= Math.Max(1, s.Values.Count);
            return c;
        }).ToArray();
        double y1 = Math.Max(1e-9, counts.SelectMany(c => c).Max());
        var sb = Begin(title);
        Axes(sb, x0, x1, 0, y1, xLabel + " (first bin holds everything lower)", "fraction of rows");
        for (int s = 0; s < samples.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            for (int b = 0; b < bins; b++)
            {
                double bx0 = Sx(x0 + (x1 - x0) * b / bins, x0, x1), bx1 = Sx(x0 + (x1 - x0) * (b + 1) / bins, x0, x1);
                double top = Sy(counts[s][b], 0, y1), bottom = Sy(0, 0, y1);
                sb.Append($"<rect x=\"{F(bx0)}\" y=\"{F(top)}\" width=\"{F(bx1 - bx0)}\" height=\"{F(bottom - top)}\" fill=\"{color}\" fill-opacity=\"0.45\"/>\n");
            }

            Legend(sb, s, samples[s].Name, color);
        }

        return End(sb);
    }

    private static double Percentile(float[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Clamp(p / 100 * (sorted.Length - 1), 0, sorted.Length - 1)];
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == item) return i;
        return -1;
    }

    private static StringBuilder Begin(string title)
    {
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append($"<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/>\n");
        sb.Append($"<text x=\"{(W - R + L) / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{Escape(title)}</text>\n");
        return sb;
    }

    private static string End(StringBuilder sb) => sb.Append("</svg>\n").ToString();

    private static double Sx(double x, double x0, double x1) => L + (x - x0) / (x1 - x0) * (W - L - R);

    private static double Sy(double y, double y0, double y1) => H - B - (y - y0) / (y1 - y0) * (H - T - B);

    private static void Axes(StringBuilder sb, double x0, double x1, double y0, double y1, string xLabel, string yLabel)
    {
        sb.Append($"<line x1=\"{L}\" y1=\"{H - B}\" x2=\"{W - R}\" y2=\"{H - B}\" stroke=\"black\"/>\n");
        sb.Append($"<line x1=\"{L}\" y1=\"{T}\" x2=\"{L}\" y2=\"{H - B}\" stroke=\"black\"/>\n");
        for (int i = 0; i <= 4; i++)
        {
            double x = x0 + (x1 - x0) * i / 4, y = y0 + (y1 - y0) * i / 4;
            sb.Append($"<text x=\"{F(Sx(x, x0, x1))}\" y=\"{H - B + 15}\" text-anchor=\"middle\">{F(x)}</text>\n");
            sb.Append($"<text x=\"{L - 5}\" y=\"{F(Sy(y, y0, y1) + 4)}\" text-anchor=\"end\">{F(y)}</text>\n");
            sb.Append($"<line x1=\"{L}\" x2=\"{W - R}\" y1=\"{F(Sy(y, y0, y1))}\" y2=\"{F(Sy(y, y0, y1))}\" stroke=\"#eee\"/>\n");
        }

        sb.Append($"<text x=\"{(W - R + L) / 2}\" y=\"{H - 12}\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n");
        sb.Append($"<text transform=\"translate(14,{(H - B + T) / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(yLabel)}</text>\n");
    }

    private static void Legend(StringBuilder sb, int index, string name, string color)
    {
        double y = T + 10 + index * 16;
        sb.Append($"<rect x=\"{W - R + 10}\" y=\"{F(y - 8)}\" width=\"10\" height=\"10\" fill=\"{color}\"/>\n");
        sb.Append($"<text x=\"{W - R + 25}\" y=\"{F(y + 1)}\">{Escape(name)}</text>\n");
    }
}
