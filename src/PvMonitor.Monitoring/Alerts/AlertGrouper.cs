namespace PvMonitor.Monitoring.Alerts;

/// <summary>
/// Holds per-string events for <see cref="AlertsOptions.GroupWindow"/> of sample time and merges those of the same
/// (plant, inverter, kind, repeat, condition) into one event listing the strings. Deterministic: groups are released in
/// the order they were opened once the watermark passes their deadline.
/// </summary>
internal sealed class AlertGrouper(TimeSpan window, Func<string, string, IReadOnlyList<string>, DateTimeOffset, string> link)
{
    private readonly List<Group> _pending = [];

    public int PendingGroups => _pending.Count;

    /// <summary>Adds one single-string event (its <see cref="AlertEvent.Strings"/> has one entry).</summary>
    public void Add(AlertEvent single, ICollection<AlertEvent> output)
    {
        if (window == TimeSpan.Zero)
        {
            output.Add(single);
            return;
        }

        foreach (var g in _pending)
        {
            if (g.Matches(single) && single.Time <= g.Deadline)
            {
                g.Members.Add(single);
                return;
            }
        }

        _pending.Add(new Group(single, single.Time + window));
    }

    /// <summary>Releases every group whose deadline is before <paramref name="watermark"/>.</summary>
    public void Release(DateTimeOffset watermark, ICollection<AlertEvent> output)
    {
        for (var k = 0; k < _pending.Count;)
        {
            if (watermark > _pending[k].Deadline)
            {
                output.Add(Merge(_pending[k]));
                _pending.RemoveAt(k);
            }
            else
            {
                k++;
            }
        }
    }

    /// <summary>Releases every pending group.</summary>
    public void ReleaseAll(ICollection<AlertEvent> output)
    {
        foreach (var g in _pending) output.Add(Merge(g));
        _pending.Clear();
    }

    private AlertEvent Merge(Group g)
    {
        var first = g.Members[0];
        if (g.Members.Count == 1) return first;
        var strings = new List<string>(g.Members.Count);
        double confidence = double.NegativeInfinity, elbo = double.PositiveInfinity;
        var from = DateTimeOffset.MaxValue;
        DateTimeOffset? to = null;
        var anyOpenTo = false;
        var latest = first;
        var mostAnomalous = first;
        foreach (var m in g.Members)
        {
            if (m.Elbo < mostAnomalous.Elbo) mostAnomalous = m;
            foreach (var s in m.Strings)
                if (!strings.Contains(s)) strings.Add(s);
            confidence = Math.Max(confidence, m.Confidence);
            elbo = Math.Min(elbo, m.Elbo);
            if (m.From < from) from = m.From;
            if (m.To is { } t) to = to is { } cur && cur > t ? cur : t;
            else anyOpenTo = true;
            if (m.Time >= latest.Time) latest = m;
        }

        strings.Sort(StringComparer.Ordinal);
        return first with
        {
            Strings = strings,
            Confidence = confidence,
            Elbo = elbo,
            From = from,
            To = anyOpenTo ? null : to,
            Time = latest.Time,
            ModelVersion = latest.ModelVersion,
            Link = link(first.Plant, first.Inverter, strings, from),
            Sensors = mostAnomalous.Sensors,
        };
    }

    private sealed class Group(AlertEvent first, DateTimeOffset deadline)
    {
        public List<AlertEvent> Members { get; } = [first];

        public DateTimeOffset Deadline { get; } = deadline;

        public bool Matches(AlertEvent e)
        {
            var f = Members[0];
            return e.Kind == f.Kind && e.IsRepeat == f.IsRepeat
                && string.Equals(e.Plant, f.Plant, StringComparison.Ordinal)
                && string.Equals(e.Inverter, f.Inverter, StringComparison.Ordinal)
                && string.Equals(e.Condition, f.Condition, StringComparison.Ordinal);
        }
    }
}
