namespace PvMonitor.Monitoring.Ingest;

/// <summary>
/// Physically possible ranges of the six sensors (inclusive). A value outside is dead-lettered as
/// <see cref="DeadLetterReason.OutOfRange"/>. Bound from <c>Ingest:Limits</c>.
/// </summary>
public sealed class SensorLimits
{
    /// <summary>Lowest irradiance, W/m². Default −10 (sensor offset at night).</summary>
    public double GMin { get; set; } = -10;

    /// <summary>Highest irradiance, W/m². Default 1600 (above the solar constant with cloud enhancement).</summary>
    public double GMax { get; set; } = 1600;

    /// <summary>Lowest string voltage, V. Default 0.</summary>
    public double VMin { get; set; } = 0;

    /// <summary>Highest string voltage, V. Default 1500 (the usual DC system limit); set it to the plant's rating.</summary>
    public double VMax { get; set; } = 1500;

    /// <summary>Lowest string current, A. Default −1 (small reverse current).</summary>
    public double IMin { get; set; } = -1;

    /// <summary>Highest string current, A. Default 30; set it to the plant's rating.</summary>
    public double IMax { get; set; } = 30;

    /// <summary>Lowest ambient temperature, °C. Default −50.</summary>
    public double TExtMin { get; set; } = -50;

    /// <summary>Highest ambient temperature, °C. Default 60.</summary>
    public double TExtMax { get; set; } = 60;

    /// <summary>Lowest module temperature, °C. Default −50.</summary>
    public double TModMin { get; set; } = -50;

    /// <summary>Highest module temperature, °C. Default 100.</summary>
    public double TModMax { get; set; } = 100;

    /// <summary>Lowest wind speed, m/s. Default 0.</summary>
    public double WMin { get; set; } = 0;

    /// <summary>Highest wind speed, m/s. Default 75.</summary>
    public double WMax { get; set; } = 75;

    /// <summary>Returns one message per invalid setting, naming the key under <paramref name="prefix"/> (e.g. <c>Ingest:Limits</c>).</summary>
    public IReadOnlyList<string> Validate(string prefix = "Ingest:Limits")
    {
        var errors = new List<string>();
        Check(errors, prefix, "G", GMin, GMax);
        Check(errors, prefix, "V", VMin, VMax);
        Check(errors, prefix, "I", IMin, IMax);
        Check(errors, prefix, "TExt", TExtMin, TExtMax);
        Check(errors, prefix, "TMod", TModMin, TModMax);
        Check(errors, prefix, "W", WMin, WMax);
        return errors;
    }

    private static void Check(List<string> errors, string prefix, string name, double min, double max)
    {
        if (!double.IsFinite(min)) errors.Add($"{prefix}:{name}Min must be a finite number (got {min}).");
        if (!double.IsFinite(max)) errors.Add($"{prefix}:{name}Max must be a finite number (got {max}).");
        if (double.IsFinite(min) && double.IsFinite(max) && min > max)
            errors.Add($"{prefix}:{name}Min ({min}) must be ≤ {prefix}:{name}Max ({max}).");
    }
}
