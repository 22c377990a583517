namespace PvMonitor.Monitoring.Ingest;

/// <summary>
/// JSON property names of the telemetry payload (case-sensitive, exact match). Bound from <c>Ingest:Fields</c>.
/// Defaults: <c>time</c>, <c>I</c>, <c>V</c>, <c>G</c>, <c>TExt</c>, <c>TMod</c>, <c>W</c>.
/// </summary>
public sealed class PayloadFieldNames
{
    /// <summary>Timestamp: an ISO-8601 string (no offset = UTC) or a number of milliseconds since the Unix epoch. Default <c>time</c>.</summary>
    public string Time { get; set; } = "time";

    /// <summary>String current, A. Default <c>I</c>.</summary>
    public string I { get; set; } = "I";

    /// <summary>String voltage, V. Default <c>V</c>.</summary>
    public string V { get; set; } = "V";

    /// <summary>Plane-of-array irradiance, W/m². Default <c>G</c>.</summary>
    public string G { get; set; } = "G";

    /// <summary>Ambient temperature, °C. Default <c>TExt</c>.</summary>
    public string TExt { get; set; } = "TExt";

    /// <summary>Module temperature, °C. Default <c>TMod</c>.</summary>
    public string TMod { get; set; } = "TMod";

    /// <summary>Wind speed, m/s. Default <c>W</c>.</summary>
    public string W { get; set; } = "W";

    /// <summary>The names in parser slot order: time, I, V, G, TExt, TMod, W.</summary>
    public string[] InSlotOrder() => [Time, I, V, G, TExt, TMod, W];

    /// <summary>Returns one message per invalid setting, naming the key under <paramref name="prefix"/>.</summary>
    public IReadOnlyList<string> Validate(string prefix = "Ingest:Fields")
    {
        var errors = new List<string>();
        string[] keys = ["Time", "I", "V", "G", "TExt", "TMod", "W"];
        var names = InSlotOrder();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var k = 0; k < keys.Length; k++)
        {
            if (string.IsNullOrWhiteSpace(names[k]))
                errors.Add($"{prefix}:{keys[k]} must not be empty.");
            else if (!seen.TryAdd(names[k], keys[k]))
                errors.Add($"{prefix}:{keys[k]} ('{names[k]}') is the same name as {prefix}:{seen[names[k]]}.");
        }

        return errors;
    }
}
