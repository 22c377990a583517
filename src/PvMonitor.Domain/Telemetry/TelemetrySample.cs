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
    public double this[string field] => Field(IndexOf(field));

    /// <summary>Position of <paramref name="field"/> in <see cref="FieldNames"/>.</summary>
    /// <exception cref="ArgumentException">The name is not a sensor.</exception>
    public static int IndexOf(string field) => field switch
    {
        "I" => 0,
        "V" => 1,
        "G" => 2,
        "TExt" => 3,
        "TMod" => 4,
        "W" => 5,
        _ => throw new ArgumentException($"Unknown sensor field '{field}'; expected one of I, V, G, TExt, TMod, W.", nameof(field)),
    };

    /// <summary>Returns a sensor value by its position in <see cref="FieldNames"/> (see <see cref="IndexOf"/>).</summary>
    public double Field(int index) => index switch
    {
        0 => I,
        1 => V,
        2 => G,
        3 => TExt,
        4 => TMod,
        5 => W,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "A sensor index is 0–5."),
    };
}
