namespace PvMonitor.Monitoring.Ingest;

/// <summary>Settings of the ingest stage (topic, payload mapping, validation, night classification). Section <c>Ingest</c>.</summary>
public sealed class IngestOptions : PvMonitor.Monitoring.Configuration.ISectionOptions
{
    /// <summary>The configuration section: <c>Ingest</c>.</summary>
    public static string SectionName => "Ingest";

    /// <summary>
    /// Topic pattern messages must match. Levels are separated by '/'; <c>{plant}</c>, <c>{inverter}</c> and <c>{string}</c>
    /// capture a level by name; a <c>+</c> captures a level too, the first three <c>+</c> meaning plant, inverter, string
    /// in that order (further <c>+</c> match anything). Default <c>pv/+/+/+/telemetry</c> = <c>pv/{plant}/{inverter}/{string}/telemetry</c>.
    /// </summary>
    public string TopicPattern { get; set; } = "pv/+/+/+/telemetry";

    /// <summary>Payload property names. Defaults: <c>time</c>, <c>I</c>, <c>V</c>, <c>G</c>, <c>TExt</c>, <c>TMod</c>, <c>W</c>.</summary>
    public PayloadFieldNames Fields { get; set; } = new();

    /// <summary>Physically possible sensor ranges; see <see cref="SensorLimits"/> for defaults.</summary>
    public SensorLimits Limits { get; set; } = new();

    /// <summary>When false (default) a property not in <see cref="Fields"/> dead-letters the message as <c>unknown_field</c>.</summary>
    public bool AllowUnknownFields { get; set; }

    /// <summary>Largest accepted payload, bytes. Default 4096.</summary>
    public int MaxPayloadBytes { get; set; } = 4096;

    /// <summary>
    /// How far a timestamp may lie ahead of the clock (<see cref="TimeProvider"/>) before it is dead-lettered as
    /// <c>timestamp_in_future</c>. Default 5 minutes; null disables the check (e.g. replaying simulated future days).
    /// </summary>
    public TimeSpan? MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How old a timestamp may be before it is dead-lettered as <c>timestamp_too_old</c>. Default null (no limit), because
    /// replays of recorded days and redeliveries after an outage carry old timestamps legitimately.
    /// </summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>
    /// Irradiance below which a sample is classified <c>night</c> (stored, not scored), W/m². Default 20.
    /// </summary>
    public double NightIrradianceThreshold { get; set; } = 20;

    /// <summary>Timestamps remembered per string by the <see cref="DuplicateFilter"/>. Default 128 (about two hours of 1-minute samples).</summary>
    public int DuplicateWindowPerString { get; set; } = 128;

    /// <summary>Strings the <see cref="DuplicateFilter"/> tracks at most; further strings are not checked. Default 100000.</summary>
    public int DuplicateMaxStrings { get; set; } = 100_000;

    /// <summary>Returns one message per invalid setting, each naming its key (e.g. <c>Ingest:NightIrradianceThreshold must be ≥ 0</c>); empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(TopicPattern))
            errors.Add($"{SectionName}:TopicPattern must not be empty.");
        else if (!Ingest.TopicPattern.TryParse(TopicPattern, out _, out var topicError))
            errors.Add($"{SectionName}:TopicPattern {topicError}");
        if (Fields is null) errors.Add($"{SectionName}:Fields must be set.");
        else errors.AddRange(Fields.Validate());
        if (Limits is null) errors.Add($"{SectionName}:Limits must be set.");
        else errors.AddRange(Limits.Validate());
        if (MaxPayloadBytes < 16) errors.Add($"{SectionName}:MaxPayloadBytes must be ≥ 16 (got {MaxPayloadBytes}).");
        if (MaxFutureSkew is { } skew && skew < TimeSpan.Zero) errors.Add($"{SectionName}:MaxFutureSkew must be ≥ 0 (got {skew}).");
        if (MaxAge is { } age && age <= TimeSpan.Zero) errors.Add($"{SectionName}:MaxAge must be > 0 (got {age}).");
        if (!double.IsFinite(NightIrradianceThreshold) || NightIrradianceThreshold < 0)
            errors.Add($"{SectionName}:NightIrradianceThreshold must be ≥ 0 (got {NightIrradianceThreshold}).");
        if (DuplicateWindowPerString < 1) errors.Add($"{SectionName}:DuplicateWindowPerString must be ≥ 1 (got {DuplicateWindowPerString}).");
        if (DuplicateMaxStrings < 1) errors.Add($"{SectionName}:DuplicateMaxStrings must be ≥ 1 (got {DuplicateMaxStrings}).");
        return errors;
    }

    /// <summary>Throws when <see cref="Validate"/> finds problems.</summary>
    /// <exception cref="ArgumentException">Lists every invalid key.</exception>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid ingest options: " + string.Join(" ", errors));
    }
}
