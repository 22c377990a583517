using System.Text;

namespace PvMonitor.Monitoring.Tests.Ingest;

/// <summary>Builds telemetry payloads from a default valid one, replacing or removing fields as raw JSON text.</summary>
internal static class PayloadBuilder
{
    public const string Topic = "pv/plantA/inv1/s01/telemetry";

    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly (string Name, string Json)[] Defaults =
    [
        ("time", "\"2026-06-01T11:59:00Z\""),
        ("I", "8.5"),
        ("V", "610.25"),
        ("G", "850"),
        ("TExt", "21.5"),
        ("TMod", "45.125"),
        ("W", "3.5"),
    ];

    /// <summary>The default payload with <paramref name="replace"/> (name → raw JSON, or null to remove) applied, in the default order.</summary>
    public static byte[] Build(params (string Name, string? Json)[] replace)
    {
        var parts = new List<string>();
        foreach (var (name, json) in Defaults)
        {
            var over = Array.FindIndex(replace, r => r.Name == name);
            var value = over >= 0 ? replace[over].Json : json;
            if (value is not null) parts.Add($"\"{name}\":{value}");
        }

        foreach (var (name, json) in replace)
            if (Array.FindIndex(Defaults, d => d.Name == name) < 0 && json is not null) parts.Add($"\"{name}\":{json}");
        return Encoding.UTF8.GetBytes("{" + string.Join(",", parts) + "}");
    }

    public static byte[] Raw(string text) => Encoding.UTF8.GetBytes(text);
}
