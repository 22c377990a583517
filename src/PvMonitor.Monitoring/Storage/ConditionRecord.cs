using PvMonitor.Domain.Telemetry;

namespace PvMonitor.Monitoring.Storage;

/// <summary>
/// One classification result for <c>pv_condition</c>, keyed by (plant, inverter, string, time) — the sample's time, so a
/// re-scored or redelivered sample overwrites its row.
/// </summary>
/// <param name="Key">The string (tags plant, inverter, string).</param>
/// <param name="Time">The sample's timestamp (UTC).</param>
/// <param name="ModelVersion">Version of the model that scored it (tag model_version).</param>
/// <param name="Condition">Most probable condition code, or <see cref="NightCondition"/> for night samples.</param>
/// <param name="Confidence">Posterior probability of <paramref name="Condition"/>, 0–1; NaN for night samples (stored as null).</param>
/// <param name="ClassCodes">Class codes, aligned with <paramref name="Probabilities"/> (fields <c>p_&lt;code&gt;</c>); share one list per model.</param>
/// <param name="Probabilities">Per-class posterior probabilities, 0–1; empty for night samples.</param>
/// <param name="Elbo">Evidence lower bound, nats; NaN for night samples (stored as null).</param>
/// <param name="Anomaly">True when the selected anomaly score (<c>Model:AnomalyScore</c>, default the ELBO) is below the model's threshold for it.</param>
/// <param name="Night">True for night / low-irradiance samples (stored, not scored).</param>
public readonly record struct ConditionRecord(
    StringKey Key,
    DateTimeOffset Time,
    string ModelVersion,
    string Condition,
    double Confidence,
    IReadOnlyList<string> ClassCodes,
    ReadOnlyMemory<double> Probabilities,
    double Elbo,
    bool Anomaly,
    bool Night)
{
    /// <summary>Feature names aligned with <see cref="ReconstructionZ"/> (the model's input order); null when not scored by an SDGM.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Per-feature reconstruction z-scores (x − E[x̂]) / σ̂, dimensionless (|z| ≫ 2 = this sensor looks wrong); empty when unavailable.</summary>
    public ReadOnlyMemory<float> ReconstructionZ { get; init; }

    /// <summary>The condition stored for night samples: <c>night</c>.</summary>
    public const string NightCondition = "night";

    /// <summary>A night row: condition <c>night</c>, no probabilities, NaN confidence and ELBO.</summary>
    public static ConditionRecord ForNight(StringKey key, DateTimeOffset time, string modelVersion) =>
        new(key, time, modelVersion, NightCondition, double.NaN, [], ReadOnlyMemory<double>.Empty, double.NaN, false, true);
}
