using System.Collections.Concurrent;

namespace PvMonitor.Monitoring.Metrics;

/// <summary>
/// A named metric with help text and label names; its time series are children keyed by label values
/// (<see cref="WithLabels(string)"/>). Cache children in hot paths: looking one up allocates nothing for one label but an
/// array for several.
/// </summary>
/// <typeparam name="T"><see cref="Counter"/>, <see cref="Gauge"/> or <see cref="Histogram"/>.</typeparam>
public sealed class MetricFamily<T> : IMetricFamily where T : class
{
    private readonly ConcurrentDictionary<string, (string[] Values, T Child)> _children = new(StringComparer.Ordinal);
    private readonly Func<T> _factory;

    internal MetricFamily(string name, string help, MetricType type, string[] labelNames, Func<T> factory)
    {
        Name = name;
        Help = help;
        Type = type;
        LabelNames = labelNames;
        _factory = factory;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Help { get; }

    /// <inheritdoc />
    public MetricType Type { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>The child for one label value (families with exactly one label).</summary>
    /// <exception cref="ArgumentException">The family does not have exactly one label, or the value is null.</exception>
    public T WithLabels(string value)
    {
        if (LabelNames.Count != 1) throw new ArgumentException($"Metric '{Name}' has {LabelNames.Count} labels; give {LabelNames.Count} values.", nameof(value));
        ArgumentNullException.ThrowIfNull(value);
        if (_children.TryGetValue(value, out var found)) return found.Child;
        return _children.GetOrAdd(value, v => ([v], _factory())).Child;
    }

    /// <summary>The child for the given label values, in <see cref="LabelNames"/> order.</summary>
    /// <exception cref="ArgumentException">The number of values differs from the number of labels, or a value is null.</exception>
    public T WithLabels(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != LabelNames.Count)
            throw new ArgumentException($"Metric '{Name}' has {LabelNames.Count} labels ({string.Join(", ", LabelNames)}); got {values.Length} values.", nameof(values));
        foreach (var v in values)
            if (v is null) throw new ArgumentException($"Metric '{Name}': label values must not be null.", nameof(values));
        var key = values.Length == 1 ? values[0] : string.Join('\u0000', values);
        if (_children.TryGetValue(key, out var found)) return found.Child;
        var copy = (string[])values.Clone();
        return _children.GetOrAdd(key, _ => (copy, _factory())).Child;
    }

    /// <inheritdoc />
    public IReadOnlyList<(IReadOnlyList<string> LabelValues, object Series)> Snapshot()
    {
        var list = new List<(IReadOnlyList<string>, object)>(_children.Count);
        foreach (var pair in _children) list.Add((pair.Value.Values, pair.Value.Child));
        list.Sort(static (a, b) => CompareLabelValues(a.Item1, b.Item1));
        return list;
    }

    internal T Unlabeled() => WithLabels([]);

    private static int CompareLabelValues(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        for (var k = 0; k < a.Count && k < b.Count; k++)
        {
            var c = string.CompareOrdinal(a[k], b[k]);
            if (c != 0) return c;
        }

        return a.Count.CompareTo(b.Count);
    }
}
