namespace PvMonitor.Monitoring.Alerts;

/// <summary>
/// One alert for the webhooks and <c>pv_alert</c>. Several strings of one inverter that changed together within the group
/// window share one event (<see cref="Strings"/> lists them).
/// </summary>
/// <param name="Plant">Plant id.</param>
/// <param name="Inverter">Inverter id.</param>
/// <param name="Strings">The strings concerned, sorted ordinally; at least one.</param>
/// <param name="Kind">What happened.</param>
/// <param name="IsRepeat">True for a re-send of a still-open alert (kind is then <see cref="AlertKind.FaultEntered"/> or <see cref="AlertKind.AnomalyOpened"/>).</param>
/// <param name="Condition">The fault condition code for fault kinds (the one that entered the episode); the most probable class for anomaly kinds (may be null).</param>
/// <param name="Confidence">Posterior probability of <paramref name="Condition"/> in the sample that decided the event, 0–1 (the largest over grouped strings).</param>
/// <param name="Elbo">ELBO of the deciding sample, nats (the lowest over grouped strings).</param>
/// <param name="From">Episode start: time of the first matching sample in the debounce window (earliest over grouped strings).</param>
/// <param name="To">Episode end for cleared/closed: time of the first sample of the non-matching run that cleared it (latest over grouped strings); null while open.</param>
/// <param name="Time">Time of the sample that decided the event (latest over grouped strings).</param>
/// <param name="ModelVersion">Version of the model that scored the deciding sample.</param>
/// <param name="Link">Operator page URL for the event.</param>
public sealed record AlertEvent(
    string Plant,
    string Inverter,
    IReadOnlyList<string> Strings,
    AlertKind Kind,
    bool IsRepeat,
    string? Condition,
    double Confidence,
    double Elbo,
    DateTimeOffset From,
    DateTimeOffset? To,
    DateTimeOffset Time,
    string ModelVersion,
    string Link)
{
    /// <summary>
    /// For <see cref="AlertKind.AnomalyOpened"/> (first send and repeats): the sensors that look most wrong in the deciding sample,
    /// largest |z| first (at most <see cref="SensorScore.TopCount"/>; of the most anomalous string when grouped). Empty otherwise.
    /// </summary>
    public IReadOnlyList<SensorScore> Sensors { get; init; } = [];

    /// <summary>The strings joined with ',' (the JSON <c>string</c> field and the <c>pv_alert.strings</c> column).</summary>
    public string StringList => string.Join(',', Strings);
}
