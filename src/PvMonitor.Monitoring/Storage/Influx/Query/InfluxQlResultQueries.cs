using System.Globalization;
using PvMonitor.Domain.Telemetry;

namespace PvMonitor.Monitoring.Storage.Influx.Query;

/// <summary>The operator page's reads in InfluxQL over <see cref="InfluxQueryClient"/> (InfluxDB 1.x <c>/query</c>).</summary>
internal sealed class InfluxQlResultQueries(InfluxQueryClient client, string database, bool ownsClient) : IInfluxResultQueries
{
    // InfluxDB timestamps are signed 64-bit nanoseconds; keep range bounds inside them.
    private const long MinMs = -9_223_372_036_853;
    private const long MaxMs = 9_223_372_036_853;

    public string Source => "database " + database;

    public Task<IReadOnlyList<InfluxSeries>> LatestConditionsAsync(CancellationToken cancellationToken) =>
        client.QueryAsync(database, """
            SELECT "condition", "confidence", "elbo", "anomaly", "night", "model_version" FROM "pv_condition"
            GROUP BY "plant", "inverter", "string" ORDER BY time DESC LIMIT 1
            """, cancellationToken);

    public Task<IReadOnlyList<InfluxSeries>> ConditionsAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        client.QueryAsync(database,
            $"SELECT * FROM \"pv_condition\" WHERE {KeyFilter(key)} AND {TimeFilter(from, to)} ORDER BY time ASC LIMIT {limit}", cancellationToken);

    public Task<IReadOnlyList<InfluxSeries>> TelemetryAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        client.QueryAsync(database,
            $"SELECT \"I\", \"V\", \"G\", \"TExt\", \"TMod\", \"W\" FROM \"pv_telemetry\" WHERE {KeyFilter(key)} AND {TimeFilter(from, to)} ORDER BY time ASC LIMIT {limit}",
            cancellationToken);

    public Task<IReadOnlyList<InfluxSeries>> AlertsAsync(DateTimeOffset? from, DateTimeOffset? to, int limit, CancellationToken cancellationToken)
    {
        var where = from is null && to is null ? "" : " WHERE " + TimeFilter(from ?? DateTimeOffset.MinValue, to ?? DateTimeOffset.MaxValue);
        return client.QueryAsync(database, $"SELECT * FROM \"pv_alert\"{where} ORDER BY time DESC LIMIT {limit}", cancellationToken);
    }

    public Task<IReadOnlyList<InfluxSeries>> DeadLettersAsync(int limit, CancellationToken cancellationToken) =>
        client.QueryAsync(database, $"SELECT * FROM \"pv_deadletter\" ORDER BY time DESC LIMIT {limit}", cancellationToken);

    // One request, four statements; each result series is named after its measurement.
    public Task<IReadOnlyList<InfluxSeries>> CountsAsync(CancellationToken cancellationToken) =>
        client.QueryAsync(database, """
            SELECT COUNT("I") FROM "pv_telemetry" GROUP BY "plant", "inverter", "string";
            SELECT COUNT("condition") FROM "pv_condition";
            SELECT COUNT("link") FROM "pv_alert";
            SELECT COUNT("topic") FROM "pv_deadletter"
            """, cancellationToken);

    public void Dispose()
    {
        if (ownsClient) client.Dispose();
    }

    private static string KeyFilter(StringKey key) =>
        $"\"plant\" = {InfluxQueryClient.QuoteString(key.Plant)} AND \"inverter\" = {InfluxQueryClient.QuoteString(key.Inverter)} AND \"string\" = {InfluxQueryClient.QuoteString(key.String)}";

    private static string TimeFilter(DateTimeOffset from, DateTimeOffset to) => string.Create(CultureInfo.InvariantCulture,
        $"time >= {Math.Clamp(from.ToUnixTimeMilliseconds(), MinMs, MaxMs)}ms AND time < {Math.Clamp(to.ToUnixTimeMilliseconds(), MinMs, MaxMs)}ms");
}
