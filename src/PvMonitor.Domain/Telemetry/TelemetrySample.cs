namespace PvMonitor.Domain.Telemetry;

/// <summary>One 1-minute sample of a PV string.</summary>
/// <param name="Time">Sample time (UTC).</param>
/// <param name="I">String current, A.</param>
/// <param name="V">String voltage, V.</param>
/// <param name="G">Plane-of-array irradiance, W/m².</param>
/// <param name="TExt">Ambient temperature, °C.</param>
/// <param name="TMod">Module temperature, °C.</param>
/// <param name="W">Wind speed, m/s.</param>
public readonly record struct TelemetrySample(DateTimeOffset Time, double I, double V, double G, double TExt, double TMod, double W)
{
    /// <summary>The sensor names in canonical order, as used in CSV files, payloads and the <c>complex</c> feature set.</summary>
    public static IReadOnlyList<string> FieldNames { get; } = ["I", "V", "G", "TExt", "TMod", "W"];

    /// <summary>Returns a sensor value by its canonical name (see <see cref="FieldNames"/>).</summary>
    /// <exception cref="ArgumentException">The name is not a sensor.</exception>
    public double this[string field] => field switch
    {
        "I" => I,
        "V" => V,
        "G" => G,
        "TExt" => TExt,
        "TMod" => TMod,
        "W" => W,
        _ => throw new ArgumentException($"Unknown sensor field '{field}'; expected one of I, V, G, TExt, TMod, W.", nameof(field)),
    };
}
