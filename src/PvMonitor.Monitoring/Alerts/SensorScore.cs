using System.Globalization;
using System.Text;

namespace PvMonitor.Monitoring.Alerts;

/// <summary>One sensor's reconstruction z-score in an anomaly alert: how far the reading is from what the model expects.</summary>
/// <param name="Sensor">The feature name (I, V, G, TExt, TMod, W).</param>
/// <param name="Z">(x − E[x̂]) / σ̂, dimensionless; |z| ≫ 2 = this sensor looks wrong.</param>
public readonly record struct SensorScore(string Sensor, double Z)
{
    /// <summary>Sensors shown in an anomaly alert. 3.</summary>
    public const int TopCount = 3;

    /// <summary>The <paramref name="count"/> sensors with the largest |z|, largest first (ties: feature order); non-finite z skipped.</summary>
    public static IReadOnlyList<SensorScore> Top(IReadOnlyList<string>? features, ReadOnlySpan<float> z, int count = TopCount)
    {
        if (features is null || z.IsEmpty || count <= 0) return [];
        var all = new List<SensorScore>(Math.Min(features.Count, z.Length));
        for (var f = 0; f < features.Count && f < z.Length; f++)
            if (float.IsFinite(z[f])) all.Add(new SensorScore(features[f], z[f]));
        // OrderByDescending is a stable sort: equal |z| keep the model's feature order.
        return all.OrderByDescending(s => Math.Abs(s.Z)).Take(count).ToArray();
    }

    /// <summary>Compact text for storage: <c>V=-7.25;I=3.5</c> (empty for none).</summary>
    public static string Format(IReadOnlyList<SensorScore> sensors)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        if (sensors.Count == 0) return "";
        var sb = new StringBuilder();
        foreach (var s in sensors)
        {
            if (sb.Length > 0) sb.Append(';');
            sb.Append(s.Sensor).Append('=').Append(s.Z.ToString("R", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>Parses <see cref="Format"/>'s text; malformed parts are skipped (stored data must not break a read).</summary>
    public static IReadOnlyList<SensorScore> Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        var list = new List<SensorScore>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.LastIndexOf('=');
            if (eq > 0 && double.TryParse(part.AsSpan(eq + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var z))
                list.Add(new SensorScore(part[..eq], z));
        }

        return list;
    }
}
