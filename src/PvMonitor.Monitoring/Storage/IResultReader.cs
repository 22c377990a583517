using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Alerts;

namespace PvMonitor.Monitoring.Storage;

/// <summary>Read side of a result store, for the operator page and the API. Time ranges are half-open [from, to).</summary>
public interface IResultReader
{
    /// <summary>The latest classification of every string, ordered by plant, inverter, string.</summary>
    Task<IReadOnlyList<StringStatus>> GetLatestAsync(CancellationToken cancellationToken = default);

    /// <summary>Classifications of one string in [<paramref name="from"/>, <paramref name="to"/>), oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ConditionRecord>> GetConditionHistoryAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit = 10_000, CancellationToken cancellationToken = default);

    /// <summary>Raw samples of one string in [<paramref name="from"/>, <paramref name="to"/>), oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<TelemetryRecord>> GetTelemetryAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit = 10_000, CancellationToken cancellationToken = default);

    /// <summary>Alerts whose event time is in [<paramref name="from"/>, <paramref name="to"/>) (null = unbounded), newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AlertEvent>> GetAlertsAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Dead letters, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<DeadLetterRecord>> GetDeadLettersAsync(int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Row counts.</summary>
    Task<StoreCounts> GetCountsAsync(CancellationToken cancellationToken = default);
}
