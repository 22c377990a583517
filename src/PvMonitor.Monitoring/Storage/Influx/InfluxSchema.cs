namespace PvMonitor.Monitoring.Storage.Influx;

/// <summary>
/// The InfluxDB schema <see cref="InfluxResultStore"/> writes: measurement names, and each measurement's tag keys and field
/// keys (a test checks the written lines against it; dashboards and deployment tests read it instead of copying names).
/// Per-class probabilities and per-feature z-scores of <see cref="Condition"/> are fields named <see cref="ProbabilityPrefix"/>
/// + class code and <see cref="ZScorePrefix"/> + feature name.
/// </summary>
public static class InfluxSchema
{
    /// <summary>Raw telemetry, one point per sample.</summary>
    public const string Telemetry = "pv_telemetry";

    /// <summary>The model's result per sample (night rows: condition <c>night</c>, not scored).</summary>
    public const string Condition = "pv_condition";

    /// <summary>Alert events, as their webhook bodies.</summary>
    public const string Alert = "pv_alert";

    /// <summary>Messages refused by ingestion, with the reason.</summary>
    public const string DeadLetter = "pv_deadletter";

    /// <summary>Prefix of <see cref="Condition"/>'s class-probability fields (<c>p_N</c>, <c>p_PS7</c> …).</summary>
    public const string ProbabilityPrefix = "p_";

    /// <summary>Prefix of <see cref="Condition"/>'s reconstruction z-score fields (<c>z_I</c>, <c>z_V</c> …).</summary>
    public const string ZScorePrefix = "z_";

    /// <summary>Every measurement written.</summary>
    public static IReadOnlyList<string> Measurements { get; } = [Telemetry, Condition, Alert, DeadLetter];

    /// <summary>The tag keys of <paramref name="measurement"/>.</summary>
    /// <exception cref="ArgumentException">Not one of <see cref="Measurements"/>.</exception>
    public static IReadOnlyList<string> Tags(string measurement) => measurement switch
    {
        Telemetry => ["plant", "inverter", "string"],
        Condition => ["plant", "inverter", "string", "model_version"],
        Alert => ["plant", "inverter", "kind", "repeat"],
        DeadLetter => ["reason"],
        _ => throw new ArgumentException($"'{measurement}' is not a measurement PvMonitor writes.", nameof(measurement)),
    };

    /// <summary>
    /// The fixed field keys of <paramref name="measurement"/> (for <see cref="Condition"/> also the prefixed per-class and
    /// per-feature fields; optional fields such as <c>confidence</c> and <c>elbo</c> are left out when not finite).
    /// </summary>
    /// <exception cref="ArgumentException">Not one of <see cref="Measurements"/>.</exception>
    public static IReadOnlyList<string> Fields(string measurement) => measurement switch
    {
        Telemetry => ["I", "V", "G", "TExt", "TMod", "W"],
        Condition => ["condition", "confidence", "elbo", "anomaly", "night"],
        Alert => ["strings", "condition", "confidence", "elbo", "from", "to", "model_version", "link", "sensors"],
        DeadLetter => ["topic", "payload", "payload_bytes", "message"],
        _ => throw new ArgumentException($"'{measurement}' is not a measurement PvMonitor writes.", nameof(measurement)),
    };

    /// <summary>Whether <paramref name="field"/> is a field <paramref name="measurement"/> can carry (fixed or prefixed).</summary>
    public static bool IsField(string measurement, string field) =>
        Fields(measurement).Contains(field)
        || (measurement == Condition && (field.StartsWith(ProbabilityPrefix, StringComparison.Ordinal) || field.StartsWith(ZScorePrefix, StringComparison.Ordinal)));
}
