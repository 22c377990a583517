using PvMonitor.Monitoring.Alerts;

namespace PvMonitor.Monitoring.Operations;

/// <summary>
/// A period in which one string's ELBO stayed below the model's threshold (an <c>anomaly_opened</c> alert and, once it ended,
/// its <c>anomaly_closed</c>), with what operators did about it.
/// </summary>
/// <param name="Plant">Plant.</param>
/// <param name="Inverter">Inverter.</param>
/// <param name="String">String.</param>
/// <param name="From">First anomalous sample (UTC).</param>
/// <param name="To">First sample after it (UTC); null while it lasts.</param>
/// <param name="MinElbo">Lowest ELBO reported for it, nats.</param>
/// <param name="Sensors">The sensors that looked most wrong when it opened (largest reconstruction |z|).</param>
/// <param name="Status"><c>open</c> (nobody labelled it), <c>labeled</c> (a label covers it), <c>dismissed</c> (labelled with an <c>info</c> condition, i.e. normal).</param>
/// <param name="LabelId">The covering label, if any.</param>
/// <param name="LabelCondition">Its condition, if any.</param>
public sealed record AnomalyEpisode(string Plant, string Inverter, string String, DateTimeOffset From, DateTimeOffset? To, double MinElbo,
    IReadOnlyList<SensorScore> Sensors, string Status, long? LabelId, string? LabelCondition)
{
    /// <summary>Builds episodes from stored alerts (any order) and matches them with labels; newest first.</summary>
    /// <param name="alerts">Stored alerts; only anomaly kinds are used.</param>
    /// <param name="labels">Operator labels. A label's string matches the episode's string id on any inverter, or <c>INVERTER/STRING</c>, or <c>*</c>.</param>
    /// <param name="severityOf">Severity of a condition code (unknown codes count as faults).</param>
    public static IReadOnlyList<AnomalyEpisode> Build(IEnumerable<AlertEvent> alerts, IReadOnlyList<OperatorLabel> labels, Func<string, ConditionSeverity> severityOf)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var open = new Dictionary<(string, string, string, DateTimeOffset), Builder>();
        foreach (var a in alerts.OrderBy(a => a.Time))
        {
            if (a.Kind is not (AlertKind.AnomalyOpened or AlertKind.AnomalyClosed)) continue;
            foreach (var s in a.Strings)
            {
                var key = (a.Plant, a.Inverter, s, a.From);
                if (!open.TryGetValue(key, out var b)) open[key] = b = new Builder(a.Plant, a.Inverter, s, a.From);
                if (double.IsFinite(a.Elbo)) b.MinElbo = Math.Min(b.MinElbo, a.Elbo);
                if (a.Kind == AlertKind.AnomalyOpened && b.Sensors.Count == 0) b.Sensors = a.Sensors;
                if (a.Kind == AlertKind.AnomalyClosed) b.To = a.To ?? a.Time;
            }
        }

        var episodes = new List<AnomalyEpisode>(open.Count);
        foreach (var b in open.Values)
        {
            var end = b.To ?? DateTimeOffset.MaxValue;
            var label = labels.FirstOrDefault(l => l.Plant == b.Plant && l.From < end && b.From < l.To &&
                (l.String == OperatorLabel.AllStrings || l.String == b.String || l.String == $"{b.Inverter}/{b.String}"));
            var status = label is null ? "open" : severityOf(label.Condition) == ConditionSeverity.Info ? "dismissed" : "labeled";
            episodes.Add(new AnomalyEpisode(b.Plant, b.Inverter, b.String, b.From, b.To, double.IsPositiveInfinity(b.MinElbo) ? double.NaN : b.MinElbo,
                b.Sensors, status, label?.Id, label?.Condition));
        }

        return episodes.OrderByDescending(e => e.From).ThenBy(e => e.Plant).ThenBy(e => e.Inverter).ThenBy(e => e.String).ToList();
    }

    private sealed class Builder(string plant, string inverter, string str, DateTimeOffset from)
    {
        public string Plant { get; } = plant;

        public string Inverter { get; } = inverter;

        public string String { get; } = str;

        public DateTimeOffset From { get; } = from;

        public DateTimeOffset? To { get; set; }

        public double MinElbo { get; set; } = double.PositiveInfinity;

        public IReadOnlyList<SensorScore> Sensors { get; set; } = [];
    }
}
