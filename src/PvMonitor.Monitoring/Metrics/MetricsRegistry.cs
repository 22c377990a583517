using System.Collections.Concurrent;

namespace PvMonitor.Monitoring.Metrics;

/// <summary>
/// A small thread-safe registry of counters, gauges and histograms (optionally labelled) that
/// <see cref="PrometheusTextWriter"/> exposes. Create metrics once at start-up and keep the returned objects; updating them is
/// lock-free and allocation-free.
/// </summary>
public sealed class MetricsRegistry
{
    private readonly ConcurrentDictionary<string, IMetricFamily> _families = new(StringComparer.Ordinal);

    /// <summary>All families, sorted by name (ordinal).</summary>
    public IReadOnlyList<IMetricFamily> Families
    {
        get
        {
            var list = _families.Values.ToList();
            list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            return list;
        }
    }

    /// <summary>Creates an unlabelled counter.</summary>
    /// <exception cref="ArgumentException">The name is invalid or already registered.</exception>
    public Counter CreateCounter(string name, string help) => CreateCounterFamily(name, help).Unlabeled();

    /// <summary>Creates a counter whose value is read from <paramref name="read"/> at scrape time (e.g. a component's own count).</summary>
    public Counter CreateCounter(string name, string help, Func<double> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return Register(new MetricFamily<Counter>(name, help, MetricType.Counter, [], () => new Counter(read))).Unlabeled();
    }

    /// <summary>Creates a counter family with the given label names.</summary>
    public MetricFamily<Counter> CreateCounterFamily(string name, string help, params string[] labelNames) =>
        Register(new MetricFamily<Counter>(name, help, MetricType.Counter, CheckLabels(name, labelNames, false), () => new Counter()));

    /// <summary>Creates an unlabelled gauge.</summary>
    public Gauge CreateGauge(string name, string help) => CreateGaugeFamily(name, help).Unlabeled();

    /// <summary>Creates a gauge whose value is read from <paramref name="read"/> at scrape time (e.g. a queue's depth).</summary>
    public Gauge CreateGauge(string name, string help, Func<double> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return Register(new MetricFamily<Gauge>(name, help, MetricType.Gauge, [], () => new Gauge(read))).Unlabeled();
    }

    /// <summary>Creates a gauge family with the given label names.</summary>
    public MetricFamily<Gauge> CreateGaugeFamily(string name, string help, params string[] labelNames) =>
        Register(new MetricFamily<Gauge>(name, help, MetricType.Gauge, CheckLabels(name, labelNames, false), () => new Gauge()));

    /// <summary>Creates an unlabelled histogram with the given finite, strictly increasing bucket upper bounds (+Inf is implicit).</summary>
    public Histogram CreateHistogram(string name, string help, IReadOnlyList<double> buckets) =>
        CreateHistogramFamily(name, help, buckets).Unlabeled();

    /// <summary>Creates a histogram family; <c>le</c> is reserved.</summary>
    /// <exception cref="ArgumentException">The buckets are empty, not finite or not strictly increasing; a name is invalid.</exception>
    public MetricFamily<Histogram> CreateHistogramFamily(string name, string help, IReadOnlyList<double> buckets, params string[] labelNames)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (buckets.Count == 0) throw new ArgumentException($"Histogram '{name}' needs at least one bucket.", nameof(buckets));
        var bounds = buckets.ToArray();
        for (var k = 0; k < bounds.Length; k++)
        {
            if (!double.IsFinite(bounds[k])) throw new ArgumentException($"Histogram '{name}': bucket {k} is {bounds[k]}; bounds must be finite (+Inf is implicit).", nameof(buckets));
            if (k > 0 && bounds[k] <= bounds[k - 1]) throw new ArgumentException($"Histogram '{name}': bucket bounds must be strictly increasing (bucket {k}).", nameof(buckets));
        }

        return Register(new MetricFamily<Histogram>(name, help, MetricType.Histogram, CheckLabels(name, labelNames, true), () => new Histogram(bounds)));
    }

    private MetricFamily<T> Register<T>(MetricFamily<T> family) where T : class
    {
        if (!IsValidMetricName(family.Name)) throw new ArgumentException($"'{family.Name}' is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).");
        ArgumentNullException.ThrowIfNull(family.Help);
        if (!_families.TryAdd(family.Name, family)) throw new ArgumentException($"A metric named '{family.Name}' is already registered.");
        return family;
    }

    private static string[] CheckLabels(string metric, string[] labelNames, bool histogram)
    {
        ArgumentNullException.ThrowIfNull(labelNames);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in labelNames)
        {
            if (!IsValidLabelName(label)) throw new ArgumentException($"Metric '{metric}': '{label}' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __).");
            if (histogram && label == "le") throw new ArgumentException($"Histogram '{metric}': the label 'le' is reserved.");
            if (!seen.Add(label)) throw new ArgumentException($"Metric '{metric}': label '{label}' is given twice.");
        }

        return (string[])labelNames.Clone();
    }

    private static bool IsValidMetricName(string? name)
    {
        if (string.IsNullOrEmpty(name)) return false;
        for (var k = 0; k < name.Length; k++)
        {
            var c = name[k];
            var ok = char.IsAsciiLetter(c) || c == '_' || c == ':' || (k > 0 && char.IsAsciiDigit(c));
            if (!ok) return false;
        }

        return true;
    }

    private static bool IsValidLabelName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.StartsWith("__", StringComparison.Ordinal)) return false;
        for (var k = 0; k < name.Length; k++)
        {
            var c = name[k];
            if (!(char.IsAsciiLetter(c) || c == '_' || (k > 0 && char.IsAsciiDigit(c)))) return false;
        }

        return true;
    }
}
