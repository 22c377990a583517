using System.Globalization;
using System.Text;

namespace PvMonitor.Monitoring.Metrics;

/// <summary>
/// Writes a <see cref="MetricsRegistry"/> in the Prometheus text exposition format 0.0.4: per family a <c># HELP</c> and a
/// <c># TYPE</c> line, then one line per series (histograms as <c>_bucket{le="…"}</c> cumulative lines ending with
/// <c>le="+Inf"</c>, then <c>_sum</c> and <c>_count</c>). Families are sorted by name and series by label values (ordinal),
/// so the output is stable. Label values escape <c>\</c>, <c>"</c> and newline; help text escapes <c>\</c> and newline.
/// Numbers use the shortest round-trip form, <c>+Inf</c>, <c>-Inf</c> and <c>NaN</c>.
/// </summary>
public static class PrometheusTextWriter
{
    /// <summary>The HTTP <c>Content-Type</c> of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Returns the exposition text.</summary>
    public static string WriteToString(MetricsRegistry registry)
    {
        var sb = new StringBuilder(4096);
        using (var writer = new StringWriter(sb, CultureInfo.InvariantCulture)) Write(registry, writer);
        return sb.ToString();
    }

    /// <summary>Writes the exposition text to <paramref name="writer"/> (lines end with <c>\n</c>).</summary>
    public static void Write(MetricsRegistry registry, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var family in registry.Families)
        {
            var series = family.Snapshot();
            if (series.Count == 0) continue;
            writer.Write("# HELP ");
            writer.Write(family.Name);
            writer.Write(' ');
            writer.Write(EscapeHelp(family.Help));
            writer.Write('\n');
            writer.Write("# TYPE ");
            writer.Write(family.Name);
            writer.Write(' ');
            writer.Write(family.Type switch { MetricType.Counter => "counter", MetricType.Gauge => "gauge", _ => "histogram" });
            writer.Write('\n');
            foreach (var (values, metric) in series)
            {
                switch (metric)
                {
                    case Counter c:
                        WriteLine(writer, family.Name, "", family.LabelNames, values, null, c.Value);
                        break;
                    case Gauge g:
                        WriteLine(writer, family.Name, "", family.LabelNames, values, null, g.Value);
                        break;
                    case Histogram h:
                        var cumulative = h.CumulativeCounts();
                        for (var k = 0; k < h.Bounds.Count; k++)
                            WriteLine(writer, family.Name, "_bucket", family.LabelNames, values, FormatNumber(h.Bounds[k]), cumulative[k]);
                        WriteLine(writer, family.Name, "_bucket", family.LabelNames, values, "+Inf", cumulative[^1]);
                        WriteLine(writer, family.Name, "_sum", family.LabelNames, values, null, h.Sum);
                        WriteLine(writer, family.Name, "_count", family.LabelNames, values, null, cumulative[^1]);
                        break;
                }
            }
        }
    }

    /// <summary>Formats a sample value: shortest round-trip invariant text, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string FormatNumber(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Escapes a label value: backslash, double quote and newline.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Escapes help text: backslash and newline.</summary>
    public static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static void WriteLine(TextWriter w, string name, string suffix, IReadOnlyList<string> labelNames, IReadOnlyList<string> labelValues, string? le, double value)
    {
        w.Write(name);
        w.Write(suffix);
        if (labelNames.Count > 0 || le is not null)
        {
            w.Write('{');
            var first = true;
            for (var k = 0; k < labelNames.Count; k++)
            {
                if (!first) w.Write(',');
                first = false;
                w.Write(labelNames[k]);
                w.Write("=\"");
                w.Write(EscapeLabelValue(labelValues[k]));
                w.Write('"');
            }

            if (le is not null)
            {
                if (!first) w.Write(',');
                w.Write("le=\"");
                w.Write(le);
                w.Write('"');
            }

            w.Write('}');
        }

        w.Write(' ');
        w.Write(FormatNumber(value));
        w.Write('\n');
    }
}
