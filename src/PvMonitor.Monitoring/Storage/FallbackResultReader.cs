using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Alerts;

namespace PvMonitor.Monitoring.Storage;

/// <summary>
/// Reads from a primary <see cref="IResultReader"/> (InfluxDB) and answers from a fallback (the in-memory
/// <see cref="RecentResultsCache"/>) when the primary fails, so the operator page keeps working while the database is away.
/// After a failure the primary is not asked again for <see cref="RetryAfter"/>, so a server that hangs until the request times
/// out costs one timeout per period, not one per page load. One warning is logged per failure streak and one information
/// message when reads recover.
/// </summary>
public sealed class FallbackResultReader : IResultReader
{
    private readonly IResultReader _primary;
    private readonly IResultReader _fallback;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private long _failures;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;

    /// <summary>Creates the reader.</summary>
    /// <param name="primary">Asked first (InfluxDB).</param>
    /// <param name="fallback">Asked when the primary fails or is resting after a failure (the cache).</param>
    /// <param name="time">Clock for <paramref name="retryAfter"/>.</param>
    /// <param name="logger">Where the warning goes. Default none.</param>
    /// <param name="retryAfter">How long the primary rests after a failure. Default 5 s; zero = ask it every time.</param>
    public FallbackResultReader(IResultReader primary, IResultReader fallback, TimeProvider time, ILogger? logger = null, TimeSpan? retryAfter = null)
    {
        _primary = primary ?? throw new ArgumentNullException(nameof(primary));
        _fallback = fallback ?? throw new ArgumentNullException(nameof(fallback));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? NullLogger.Instance;
        RetryAfter = retryAfter ?? TimeSpan.FromSeconds(5);
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryAfter, TimeSpan.Zero, nameof(retryAfter));
    }

    /// <summary>How long the primary rests after a failure.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>True after a failed primary read until one succeeds again.</summary>
    public bool UsingFallback
    {
        get
        {
            lock (_gate) return _failures > 0;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StringStatus>> GetLatestAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(static (r, ct) => r.GetLatestAsync(ct), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ConditionRecord>> GetConditionHistoryAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit = 10_000, CancellationToken cancellationToken = default) =>
        ReadAsync((r, ct) => r.GetConditionHistoryAsync(key, from, to, limit, ct), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TelemetryRecord>> GetTelemetryAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit = 10_000, CancellationToken cancellationToken = default) =>
        ReadAsync((r, ct) => r.GetTelemetryAsync(key, from, to, limit, ct), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertEvent>> GetAlertsAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = 100, CancellationToken cancellationToken = default) =>
        ReadAsync((r, ct) => r.GetAlertsAsync(from, to, limit, ct), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetterRecord>> GetDeadLettersAsync(int limit = 100, CancellationToken cancellationToken = default) =>
        ReadAsync((r, ct) => r.GetDeadLettersAsync(limit, ct), cancellationToken);

    /// <inheritdoc />
    public Task<StoreCounts> GetCountsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(static (r, ct) => r.GetCountsAsync(ct), cancellationToken);

    private async Task<T> ReadAsync<T>(Func<IResultReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        bool ask;
        lock (_gate) ask = _failures == 0 || _time.GetUtcNow() >= _retryAt;
        if (ask)
        {
            try
            {
                var result = await read(_primary, cancellationToken).ConfigureAwait(false);
                Succeeded();
                return result;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Any failure (server away, timeout, query error, unexpected data) must not fail the page: the cache answers.
                Failed(ex);
            }
        }

        return await read(_fallback, cancellationToken).ConfigureAwait(false);
    }

    private void Succeeded()
    {
        long failures;
        lock (_gate)
        {
            failures = _failures;
            _failures = 0;
        }

        if (failures > 0)
            _logger.LogInformation("Result reads from the database work again after {Failures} failed attempts; the operator page shows stored history again.", failures);
    }

    private void Failed(Exception ex)
    {
        bool first;
        lock (_gate)
        {
            first = _failures == 0;
            _failures++;
            _retryAt = _time.GetUtcNow() + RetryAfter;
        }

        if (first)
            _logger.LogWarning(ex, "Result reads from the database failed ({Message}); the operator page shows the in-memory cache of recent results until they work again (retried every {RetryAfter}).", ex.Message, RetryAfter);
    }
}
