using PvMonitor.Domain.Telemetry;

namespace PvMonitor.Monitoring.Storage.Influx.Query;

/// <summary>
/// The reads behind the operator page, one request each, in the server's query language: InfluxQL for 1.x
/// (<see cref="InfluxQlResultQueries"/>), Flux for 2.x/3.x (<see cref="FluxResultQueries"/>). Both answer in the same shape, so
/// <see cref="InfluxResultReader"/> maps rows back once: one <see cref="InfluxSeries"/> per result table, columns named after
/// fields and tags, <c>time</c> in epoch milliseconds. A failed request throws.
/// </summary>
internal interface IInfluxResultQueries : IDisposable
{
    /// <summary>What is read: <c>database NAME</c> or <c>bucket NAME</c>.</summary>
    string Source { get; }

    /// <summary>Per string (tags plant, inverter, string) one row: the latest <c>pv_condition</c> with time, condition, confidence, elbo, anomaly, night, model_version.</summary>
    Task<IReadOnlyList<InfluxSeries>> LatestConditionsAsync(CancellationToken cancellationToken);

    /// <summary>Every field and tag of <c>pv_condition</c> rows of <paramref name="key"/> in [from, to), oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<InfluxSeries>> ConditionsAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);

    /// <summary>Fields I, V, G, TExt, TMod, W of <c>pv_telemetry</c> rows of <paramref name="key"/> in [from, to), oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<InfluxSeries>> TelemetryAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);

    /// <summary>Every field and tag of <c>pv_alert</c> rows in [from, to) (null = unbounded), newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<InfluxSeries>> AlertsAsync(DateTimeOffset? from, DateTimeOffset? to, int limit, CancellationToken cancellationToken);

    /// <summary>Every field and tag of <c>pv_deadletter</c> rows, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<InfluxSeries>> DeadLettersAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Row counts, as series named after their measurement with a <c>count</c> column: <c>pv_telemetry</c> one series per string
    /// (so the number of series with a count is the number of strings), <c>pv_condition</c>, <c>pv_alert</c>, <c>pv_deadletter</c>.
    /// </summary>
    Task<IReadOnlyList<InfluxSeries>> CountsAsync(CancellationToken cancellationToken);
}
