using System.Globalization;
using System.Text;
using InfluxDB.Client;
using InfluxDB.Client.Core.Flux.Domain;
using NodaTime;
using PvMonitor.Domain.Telemetry;

namespace PvMonitor.Monitoring.Storage.Influx.Query;

/// <summary>
/// The operator page's reads in Flux through InfluxDB.Client's <see cref="QueryApi"/> (InfluxDB 2.x/3.x <c>/api/v2/query</c>).
/// Rows are pivoted (one column per field) and converted to <see cref="InfluxSeries"/>: <c>_time</c> becomes <c>time</c> in epoch
/// milliseconds, columns are in ordinal name order (as InfluxQL returns fields), group-key tags become the series' tags.
/// InfluxDB.Client types stay inside this class.
/// </summary>
internal sealed class FluxResultQueries : IInfluxResultQueries
{
    // Flux times are signed 64-bit nanoseconds (1677-09-21 … 2262-04-11); keep bounds inside them.
    private const long MinMs = -9_223_372_036_853;
    private const long MaxMs = 9_223_372_036_853;
    private static readonly string[] Hidden = ["result", "table", "_start", "_stop", "_measurement"];

    private readonly InfluxDBClient _client;
    private readonly QueryApi _query;
    private readonly string _org;
    private readonly string _bucket;

    public FluxResultQueries(InfluxDBClient client, string org, string bucket)
    {
        _client = client;
        _query = client.GetQueryApi();
        _org = org;
        _bucket = bucket;
    }

    public string Source => "bucket " + _bucket;

    public Task<IReadOnlyList<InfluxSeries>> LatestConditionsAsync(CancellationToken cancellationToken) =>
        RunAsync(From(null, null) + """
              |> filter(fn: (r) => r._measurement == "pv_condition" and contains(value: r._field, set: ["condition", "confidence", "elbo", "anomaly", "night"]))
              |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
              |> group(columns: ["plant", "inverter", "string"])
              |> sort(columns: ["_time"])
              |> last(column: "_time")
            """, cancellationToken);

    public Task<IReadOnlyList<InfluxSeries>> ConditionsAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        RunAsync(From(from, to) + $"""
              |> filter(fn: (r) => r._measurement == "pv_condition" and {KeyFilter(key)})
              |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
              |> group()
              |> sort(columns: ["_time"])
              |> limit(n: {limit.ToString(CultureInfo.InvariantCulture)})
            """, cancellationToken);

    public Task<IReadOnlyList<InfluxSeries>> TelemetryAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        RunAsync(From(from, to) + $"""
              |> filter(fn: (r) => r._measurement == "pv_telemetry" and {KeyFilter(key)} and contains(value: r._field, set: ["I", "V", "G", "TExt", "TMod", "W"]))
              |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
              |> group()
              |> sort(columns: ["_time"])
              |> limit(n: {limit.ToString(CultureInfo.InvariantCulture)})
            """, cancellationToken);

    public Task<IReadOnlyList<InfluxSeries>> AlertsAsync(DateTimeOffset? from, DateTimeOffset? to, int limit, CancellationToken cancellationToken) =>
        RunAsync(From(from, to) + $"""
              |> filter(fn: (r) => r._measurement == "pv_alert")
              |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
              |> group()
              |> sort(columns: ["_time"], desc: true)
              |> limit(n: {limit.ToString(CultureInfo.InvariantCulture)})
            """, cancellationToken);

    public Task<IReadOnlyList<InfluxSeries>> DeadLettersAsync(int limit, CancellationToken cancellationToken) =>
        RunAsync(From(null, null) + $"""
              |> filter(fn: (r) => r._measurement == "pv_deadletter")
              |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
              |> group()
              |> sort(columns: ["_time"], desc: true)
              |> limit(n: {limit.ToString(CultureInfo.InvariantCulture)})
            """, cancellationToken);

    /// <summary>Four counts in one request, each a <c>yield</c> named after its measurement (the series' name).</summary>
    public Task<IReadOnlyList<InfluxSeries>> CountsAsync(CancellationToken cancellationToken)
    {
        var query = new StringBuilder();
        query.Append("data = ").Append(From(null, null)).Append('\n');
        query.Append("""
            data |> filter(fn: (r) => r._measurement == "pv_telemetry" and r._field == "I")
              |> group(columns: ["plant", "inverter", "string"]) |> count() |> rename(columns: {_value: "count"}) |> yield(name: "pv_telemetry")
            data |> filter(fn: (r) => r._measurement == "pv_condition" and r._field == "condition")
              |> group() |> count() |> rename(columns: {_value: "count"}) |> yield(name: "pv_condition")
            data |> filter(fn: (r) => r._measurement == "pv_alert" and r._field == "link")
              |> group() |> count() |> rename(columns: {_value: "count"}) |> yield(name: "pv_alert")
            data |> filter(fn: (r) => r._measurement == "pv_deadletter" and r._field == "topic")
              |> group() |> count() |> rename(columns: {_value: "count"}) |> yield(name: "pv_deadletter")
            """);
        return RunAsync(query.ToString(), cancellationToken);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>A Flux string literal: <c>"…"</c> with backslash, double quote, <c>${</c> (interpolation) and line breaks escaped.</summary>
    internal static string FluxString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '$' when i + 1 < value.Length && value[i + 1] == '{': sb.Append("\\$"); break;
                default: sb.Append(c); break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>An RFC 3339 time literal in UTC with milliseconds, clamped to Flux's range.</summary>
    internal static string FluxTime(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(time.ToUnixTimeMilliseconds(), MinMs, MaxMs))
            .UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private string From(DateTimeOffset? from, DateTimeOffset? to) =>
        $"from(bucket: {FluxString(_bucket)})\n  |> range(start: {FluxTime(from ?? DateTimeOffset.MinValue)}, stop: {FluxTime(to ?? DateTimeOffset.MaxValue)})\n";

    private static string KeyFilter(StringKey key) =>
        $"r.plant == {FluxString(key.Plant)} and r.inverter == {FluxString(key.Inverter)} and r.string == {FluxString(key.String)}";

    private async Task<IReadOnlyList<InfluxSeries>> RunAsync(string flux, CancellationToken cancellationToken)
    {
        var tables = await _query.QueryAsync(flux, _org, cancellationToken).ConfigureAwait(false);
        var result = new List<InfluxSeries>(tables.Count);
        foreach (var table in tables)
        {
            if (table.Records.Count > 0)
                result.Add(ToSeries(table));
        }

        return result;
    }

    /// <summary>One table as a series: name = <c>_measurement</c> (or the yield's name), tags = the group key's tag columns.</summary>
    internal static InfluxSeries ToSeries(FluxTable table)
    {
        var first = table.Records[0].Values;
        var name = first.TryGetValue("_measurement", out var m) && m is string measurement ? measurement
            : first.TryGetValue("result", out var r) && r is string yielded ? yielded : "";
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in table.Columns)
        {
            if (column.Group && !column.Label.StartsWith('_') && Array.IndexOf(Hidden, column.Label) < 0 && first.TryGetValue(column.Label, out var v) && v is string tag)
                tags[column.Label] = tag;
        }

        var labels = table.Columns.Select(c => c.Label).Where(l => Array.IndexOf(Hidden, l) < 0).ToList();
        labels.Sort(StringComparer.Ordinal);
        var columns = labels.Select(l => l == "_time" ? "time" : l).ToList();
        var rows = new List<object?[]>(table.Records.Count);
        foreach (var record in table.Records)
        {
            var cells = new object?[labels.Count];
            for (var i = 0; i < labels.Count; i++)
                cells[i] = record.Values.TryGetValue(labels[i], out var value) ? ToCell(value) : null;
            rows.Add(cells);
        }

        return new InfluxSeries(name, tags, columns, rows);
    }

    private static object? ToCell(object? value) => value switch
    {
        Instant instant => instant.ToUnixTimeMilliseconds(),
        ulong u => (long)Math.Min(u, long.MaxValue),
        int i => (long)i,
        float f => (double)f,
        _ => value,
    };
}
