using System.Globalization;
using System.Text;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Storage.Influx.Query;

namespace PvMonitor.Monitoring.Storage.Influx;

/// <summary>
/// <see cref="IResultReader"/> on what <see cref="InfluxResultStore"/> writes, read back with InfluxQL through an
/// <see cref="InfluxQueryClient"/> (InfluxDB 1.x <c>/query</c>, <see cref="InfluxResultReader(InfluxQueryClient, string, bool, TimeSpan?)"/>)
/// or with Flux through InfluxDB.Client (2.x/3.x, <see cref="ForVersion2"/>). Every call is one HTTP request; a failed request
/// throws (<see cref="InfluxQueryException"/>, the client's exceptions, <see cref="HttpRequestException"/>, or a cancellation on
/// timeout) — <see cref="FallbackResultReader"/> turns that into an answer from memory.
/// </summary>
/// <remarks>
/// Mapping back, by measurement:
/// <list type="bullet">
/// <item><c>pv_condition</c>: fields <c>p_&lt;class&gt;</c> and <c>z_&lt;feature&gt;</c> present on a row become
/// <see cref="ConditionRecord.ClassCodes"/>/<see cref="ConditionRecord.Probabilities"/> and
/// <see cref="ConditionRecord.Features"/>/<see cref="ConditionRecord.ReconstructionZ"/>, in name order (InfluxDB returns fields
/// sorted); a row without any <c>z_</c> field has <see cref="ConditionRecord.Features"/> null. Absent confidence/ELBO (night rows)
/// read back as NaN.</item>
/// <item><c>pv_alert</c>: empty <c>condition</c> and <c>to</c> fields read back as null; a row with an unknown kind is skipped.</item>
/// <item><c>pv_deadletter</c>: the payload is the stored text as UTF-8 (control characters stay escaped, long payloads stay cut),
/// not the original bytes; an unknown reason reads back as <see cref="DeadLetterReason.ProcessingFailed"/>.</item>
/// </list>
/// Counts are over everything in the database (the SQLite store's meaning), not since start; <see cref="StoreCounts.Strings"/> is
/// the number of strings with telemetry. Counting scans every row, so a result is reused for <see cref="CountsMaxAge"/> (the
/// operator page polls the overview every 2 s; a full scan of a large database that often would compete with ingestion).
/// </remarks>
public sealed class InfluxResultReader : IResultReader, IDisposable
{
    private static readonly Dictionary<string, DeadLetterReason> ReasonsByLabel =
        DeadLetterReasonExtensions.All.ToDictionary(r => r.ToLabel(), StringComparer.Ordinal);

    private readonly IInfluxResultQueries _queries;
    private readonly Lock _countsGate = new();
    private Task<StoreCounts>? _counts;
    private long _countsAt;

    /// <summary>Reads <paramref name="database"/> (2.x: the bucket's database name) through <paramref name="client"/>.</summary>
    /// <param name="client">The query client (URL and credentials).</param>
    /// <param name="database">Database to read.</param>
    /// <param name="ownsClient">Dispose <paramref name="client"/> with the reader. Default true.</param>
    /// <param name="countsMaxAge">How long a <see cref="GetCountsAsync"/> result is reused. Default 60 s; zero = count every time.</param>
    public InfluxResultReader(InfluxQueryClient client, string database, bool ownsClient = true, TimeSpan? countsMaxAge = null)
        : this(new InfluxQlResultQueries(client ?? throw new ArgumentNullException(nameof(client)), ValidName(database), ownsClient), countsMaxAge)
    {
    }

    private InfluxResultReader(IInfluxResultQueries queries, TimeSpan? countsMaxAge)
    {
        _queries = queries;
        CountsMaxAge = countsMaxAge ?? TimeSpan.FromSeconds(60);
        ArgumentOutOfRangeException.ThrowIfLessThan(CountsMaxAge, TimeSpan.Zero, nameof(countsMaxAge));
    }

    /// <summary>
    /// Reads <see cref="InfluxOptions.Bucket"/> of a 2.x/3.x server (<see cref="InfluxOptions.Version"/> 2) with Flux through
    /// InfluxDB.Client's query API (URL, org, token from <paramref name="options"/>).
    /// </summary>
    /// <param name="options">Version-2 settings.</param>
    /// <param name="requestTimeout">Longest one query may take. Default <see cref="InfluxOptions.RequestTimeoutMs"/>.</param>
    /// <param name="countsMaxAge">How long a <see cref="GetCountsAsync"/> result is reused. Default 60 s.</param>
    public static InfluxResultReader ForVersion2(InfluxOptions options, TimeSpan? requestTimeout = null, TimeSpan? countsMaxAge = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        if (options.Version != 2)
            throw new ArgumentException($"{InfluxOptions.SectionName}:Version must be 2 for Flux queries (was {options.Version}).", nameof(options));
        var client = Writing.InfluxV2ClientFactory.Create(options, requestTimeout);
        return new InfluxResultReader(new FluxResultQueries(client, options.Org!, options.Bucket!), countsMaxAge);
    }

    /// <summary>How long a <see cref="GetCountsAsync"/> result is reused.</summary>
    public TimeSpan CountsMaxAge { get; }

    /// <summary>What is read: <c>database NAME</c> (1.x) or <c>bucket NAME</c> (2.x/3.x).</summary>
    public string Source => _queries.Source;

    private static string ValidName(string database)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        return database;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StringStatus>> GetLatestAsync(CancellationToken cancellationToken = default)
    {
        var series = await _queries.LatestConditionsAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<StringStatus>(series.Count);
        foreach (var s in series)
        {
            if (s.Rows.Count == 0) continue;
            var row = new Row(s, s.Rows[0]);
            var key = new StringKey(Tag(s, "plant"), Tag(s, "inverter"), Tag(s, "string"));
            list.Add(new StringStatus(key, row.Time, row.String("model_version") ?? "", row.String("condition") ?? "",
                row.Double("confidence"), row.Double("elbo"), row.Bool("anomaly"), row.Bool("night")));
        }

        list.Sort(static (a, b) => CompareKeys(a.Key, b.Key));
        return list;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ConditionRecord>> GetConditionHistoryAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit = 10_000, CancellationToken cancellationToken = default)
    {
        if (limit <= 0) return [];
        var series = await _queries.ConditionsAsync(key, from, to, limit, cancellationToken).ConfigureAwait(false);
        return MapRows(series, r => ReadCondition(key, r));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TelemetryRecord>> GetTelemetryAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit = 10_000, CancellationToken cancellationToken = default)
    {
        if (limit <= 0) return [];
        var series = await _queries.TelemetryAsync(key, from, to, limit, cancellationToken).ConfigureAwait(false);
        return MapRows(series,
            r => new TelemetryRecord(key, new TelemetrySample(r.Time, r.Double("I"), r.Double("V"), r.Double("G"), r.Double("TExt"), r.Double("TMod"), r.Double("W"))));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertEvent>> GetAlertsAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        if (limit <= 0) return [];
        var series = await _queries.AlertsAsync(from, to, limit, cancellationToken).ConfigureAwait(false);
        var rows = MapRows(series, static AlertEvent? (r) =>
        {
            if (!TryParseKind(r.String("kind"), out var kind)) return null; // a kind this version does not know: skipped
            var condition = r.String("condition");
            return new AlertEvent(
                r.String("plant") ?? "", r.String("inverter") ?? "", (r.String("strings") ?? "").Split(','),
                kind, r.String("repeat") == "true",
                string.IsNullOrEmpty(condition) ? null : condition, r.Double("confidence"), r.Double("elbo"),
                ParseIso(r.String("from")) ?? r.Time, ParseIso(r.String("to")), r.Time, r.String("model_version") ?? "", r.String("link") ?? "")
            {
                Sensors = SensorScore.Parse(r.String("sensors")),
            };
        });
        var list = rows.OfType<AlertEvent>().ToList();

        // Same order as the SQLite store: newest first, ties by plant, inverter, strings, kind.
        list.Sort(static (a, b) =>
        {
            var c = b.Time.CompareTo(a.Time);
            if (c == 0) c = string.CompareOrdinal(a.Plant, b.Plant);
            if (c == 0) c = string.CompareOrdinal(a.Inverter, b.Inverter);
            if (c == 0) c = string.CompareOrdinal(a.StringList, b.StringList);
            if (c == 0) c = string.CompareOrdinal(a.Kind.ToWireName(), b.Kind.ToWireName());
            return c;
        });
        return list;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeadLetterRecord>> GetDeadLettersAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        if (limit <= 0) return [];
        var series = await _queries.DeadLettersAsync(limit, cancellationToken).ConfigureAwait(false);
        return MapRows(series, static r =>
        {
            var reason = r.String("reason") is { } label && ReasonsByLabel.TryGetValue(label, out var known) ? known : DeadLetterReason.ProcessingFailed;
            return new DeadLetterRecord(r.Time, r.String("topic") ?? "", Encoding.UTF8.GetBytes(r.String("payload") ?? ""), reason, r.String("message") ?? "");
        });
    }

    /// <summary>Maps every row of every series, in order.</summary>
    private static List<T> MapRows<T>(IReadOnlyList<InfluxSeries> series, Func<Row, T> map)
    {
        var list = new List<T>();
        foreach (var s in series)
        {
            foreach (var cells in s.Rows)
                list.Add(map(new Row(s, cells)));
        }

        return list;
    }

    /// <inheritdoc />
    /// <remarks>Reused for <see cref="CountsMaxAge"/>; concurrent callers share one query; a failed count is not reused.</remarks>
    public Task<StoreCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        lock (_countsGate)
        {
            var fresh = _counts is { IsFaulted: false, IsCanceled: false } &&
                        (!_counts.IsCompleted || Environment.TickCount64 - _countsAt < (long)CountsMaxAge.TotalMilliseconds);
            if (!fresh)
            {
                _countsAt = Environment.TickCount64;
                _counts = CountAsync(CancellationToken.None);
            }

            return _counts!.WaitAsync(cancellationToken);
        }
    }

    private async Task<StoreCounts> CountAsync(CancellationToken cancellationToken)
    {
        var series = await _queries.CountsAsync(cancellationToken).ConfigureAwait(false);
        long telemetry = 0, conditions = 0, alerts = 0, deadLetters = 0, strings = 0;
        foreach (var s in series)
        {
            var count = 0L;
            var column = s.ColumnIndex("count");
            foreach (var cells in s.Rows)
                if (column >= 0) count += ToLong(cells[column]);
            switch (s.Name)
            {
                case "pv_telemetry":
                    telemetry += count;
                    if (count > 0) strings++;
                    break;
                case "pv_condition": conditions += count; break;
                case "pv_alert": alerts += count; break;
                case "pv_deadletter": deadLetters += count; break;
            }
        }

        return new StoreCounts(telemetry, conditions, alerts, deadLetters, strings);
    }

    /// <inheritdoc />
    public void Dispose() => _queries.Dispose();

    private static ConditionRecord ReadCondition(StringKey key, Row r)
    {
        var codes = new List<string>();
        var probabilities = new List<double>();
        List<string>? features = null;
        List<float>? z = null;
        var columns = r.Series.Columns;
        for (var k = 0; k < columns.Count; k++)
        {
            if (r.Cells[k] is null) continue;
            var name = columns[k];
            if (name.StartsWith("p_", StringComparison.Ordinal))
            {
                codes.Add(name[2..]);
                probabilities.Add(ToDouble(r.Cells[k]));
            }
            else if (name.StartsWith("z_", StringComparison.Ordinal))
            {
                (features ??= []).Add(name[2..]);
                (z ??= []).Add((float)ToDouble(r.Cells[k]));
            }
        }

        return new ConditionRecord(key, r.Time, r.String("model_version") ?? "", r.String("condition") ?? "", r.Double("confidence"),
            codes, probabilities.ToArray(), r.Double("elbo"), r.Bool("anomaly"), r.Bool("night"))
        {
            Features = features,
            ReconstructionZ = z is null ? ReadOnlyMemory<float>.Empty : z.ToArray(),
        };
    }

    private static string Tag(InfluxSeries s, string name) => s.Tags.TryGetValue(name, out var value) ? value : "";

    private static int CompareKeys(StringKey a, StringKey b)
    {
        var c = string.CompareOrdinal(a.Plant, b.Plant);
        if (c == 0) c = string.CompareOrdinal(a.Inverter, b.Inverter);
        return c != 0 ? c : string.CompareOrdinal(a.String, b.String);
    }

    private static bool TryParseKind(string? name, out AlertKind kind)
    {
        kind = default;
        if (string.IsNullOrEmpty(name)) return false;
        try
        {
            kind = AlertKindExtensions.ParseWireName(name);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static DateTimeOffset? ParseIso(string? text) =>
        !string.IsNullOrEmpty(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;

    private static double ToDouble(object? value) => value switch
    {
        double d => d,
        long l => l,
        _ => double.NaN,
    };

    private static long ToLong(object? value) => value switch
    {
        long l => l,
        double d => (long)d,
        _ => 0,
    };

    /// <summary>One result row with lookups by column name.</summary>
    private readonly struct Row(InfluxSeries series, object?[] cells)
    {
        public InfluxSeries Series { get; } = series;

        public object?[] Cells { get; } = cells;

        public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(ToLong(Cell("time")));

        public object? Cell(string column)
        {
            var i = Series.ColumnIndex(column);
            return i >= 0 && i < Cells.Length ? Cells[i] : null;
        }

        public double Double(string column) => ToDouble(Cell(column));

        public bool Bool(string column) => Cell(column) is true;

        public string? String(string column) => Cell(column) as string;
    }
}
