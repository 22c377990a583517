using PvMonitor.Monitoring.Configuration;

namespace PvMonitor.Monitoring.Operations.Drift;

/// <summary>When the ELBOs a string gets move away from the model's training distribution (section <c>Drift</c>).</summary>
public sealed class DriftOptions : ISectionOptions
{
    /// <inheritdoc />
    public static string SectionName => "Drift";

    /// <summary>Scored (daylight) samples per string in the sliding window. Default 720 (about one to two days of daylight at 1 sample/min).</summary>
    public int Window { get; set; } = 720;

    /// <summary>Samples a string needs in its window before it is judged. Default 120.</summary>
    public int MinSamples { get; set; } = 120;

    /// <summary>
    /// A string drifts when more than this share of its window is flagged anomalous (the model flags 0.5 % of its own
    /// training rows). Default 0.05.
    /// </summary>
    public double MaxFlaggedRate { get; set; } = 0.05;

    /// <inheritdoc />
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Window is < 10 or > 100_000) errors.Add($"Drift:Window must be 10–100000 samples (was {Window}).");
        if (MinSamples < 1 || MinSamples > Window) errors.Add($"Drift:MinSamples must be 1–Drift:Window ({Window}) (was {MinSamples}).");
        if (MaxFlaggedRate is <= 0 or > 1) errors.Add($"Drift:MaxFlaggedRate must be in (0, 1] (was {MaxFlaggedRate}).");
        return errors;
    }
}
