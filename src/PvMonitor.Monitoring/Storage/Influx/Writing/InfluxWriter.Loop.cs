using System.Buffers;
using Microsoft.Extensions.Logging;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;

namespace PvMonitor.Monitoring.Storage.Influx.Writing;

public sealed partial class InfluxWriter
{
    /// <summary>
    /// The single sender: delivers batches in order; when the server is away, spools them; while the spool holds anything,
    /// appends new batches behind it and replays it oldest first, probing with backoff.
    /// </summary>
    private async Task RunAsync()
    {
        var cancellationToken = _abort.Token;
        using var replay = new LineBatch(_options.BatchSize, 64 * 1024);
        long nextAttemptAt = 0; // writer-clock timestamp before which the server is not tried again
        try
        {
            while (true)
            {
                bool progressed;
                try
                {
                    (progressed, nextAttemptAt) = await StepAsync(replay, nextAttemptAt, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // A failing disk or a bug must not kill the loop: report, back off, go on.
                    LogStepFailed(e);
                    nextAttemptAt = MarkFailure(new WriteResult(WriteStatus.Failed, 0, $"{e.GetType().Name}: {e.Message}", null));
                    progressed = false;
                }

                UpdateState();
                if (progressed)
                    continue;
                if (_queue.Reader.Completion.IsCompleted)
                    break; // disposed and every batch delivered or spooled
                await WaitAsync(nextAttemptAt, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown deadline passed: spool what can be spooled, fail the rest below.
        }

        while (_queue.Reader.TryRead(out var left))
        {
            if (TrySpool(left))
                Complete(left);
            else
                Complete(left, new InfluxWriteException(
                    $"{left.Count} points were not made durable: the writer stopped while InfluxDB was unreachable ({_lastError ?? "no response"}) and the spool could not take them."));
        }
    }

    /// <summary>One round of the loop; returns whether anything moved and the (possibly new) time of the next server attempt.</summary>
    private async Task<(bool Progressed, long NextAttemptAt)> StepAsync(LineBatch replay, long nextAttemptAt, CancellationToken cancellationToken)
    {
        var progressed = false;
        if (_spool is not null && !_spool.IsEmpty)
        {
            // Keep the order: new batches go behind the backlog.
            while (_queue.Reader.TryPeek(out var waiting) && TrySpool(waiting))
            {
                _queue.Reader.TryRead(out _);
                Complete(waiting);
                progressed = true;
            }

            if (IsDue(nextAttemptAt))
            {
                var (done, failed) = await ReplayOneAsync(replay, cancellationToken).ConfigureAwait(false);
                progressed |= done;
                if (failed is { } failure)
                    nextAttemptAt = MarkFailure(failure);
            }
        }
        else if (_queue.Reader.TryPeek(out var batch))
        {
            if (IsDue(nextAttemptAt))
            {
                var outcome = await _delivery.DeliverAsync(batch, cancellationToken).ConfigureAwait(false);
                if (outcome.Delivered)
                {
                    _queue.Reader.TryRead(out _);
                    Complete(batch);
                    MarkWritten();
                    return (true, 0);
                }

                nextAttemptAt = MarkFailure(outcome.Failure);
            }

            // The server is away or backing off: make the batch durable on disk instead.
            if (TrySpool(batch))
            {
                _queue.Reader.TryRead(out _);
                Complete(batch);
                progressed = true;
            }
        }

        return (progressed, nextAttemptAt);
    }

    /// <summary>Replays the oldest spooled batch. Returns whether the spool moved on, and the failure if the server refused.</summary>
    private async Task<(bool Progressed, WriteResult? Failure)> ReplayOneAsync(LineBatch replay, CancellationToken cancellationToken)
    {
        if (!_spool!.TryReadNext(out var record))
            return (true, null); // only unreadable data was left; it has been skipped
        var precision = (WritePrecision)(record.Flags & 0xFF);
        if (precision > WritePrecision.Seconds || !replay.TryLoadSpoolPayload(record.Payload.Span, precision))
        {
            LogBadSpoolPayload(record.Segment, record.Offset);
            _spool.Acknowledge(record);
            return (true, null);
        }

        var outcome = await _delivery.DeliverAsync(replay, cancellationToken).ConfigureAwait(false);
        if (!outcome.Delivered)
            return (false, outcome.Failure);
        _spool.Acknowledge(record);
        Interlocked.Add(ref _counters.Replayed, record.PointCount);
        MarkWritten();
        return (true, null);
    }

    private bool TrySpool(LineBatch batch)
    {
        if (_spool is null)
            return false;
        var length = batch.SpoolPayloadLength;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            batch.WriteSpoolPayload(buffer);
            if (!_spool.TryAppend(buffer.AsSpan(0, length), batch.Count, (uint)batch.Precision))
                return false;
            Interlocked.Add(ref _counters.Spooled, batch.Count);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            SetError($"spool write failed: {e.Message}");
            LogSpoolWriteFailed(e.Message);
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool IsDue(long nextAttemptAt) => nextAttemptAt == 0 || _time.GetTimestamp() >= nextAttemptAt;

    private long MarkFailure(WriteResult failure)
    {
        var delay = _backoff.NextDelay(failure.RetryAfter);
        var wasOnline = _state == InfluxWriterState.Online;
        SetError(failure.ToString());
        if (wasOnline)
            LogServerAway(failure.ToString(), _spool is null ? "waiting in memory" : "spooling to disk");
        else
            LogStillAway(failure.ToString(), delay.TotalMilliseconds);
        return _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
    }

    private void MarkWritten()
    {
        if (_backoff.Failures > 0)
            LogServerBack(_backoff.Failures);
        _backoff.Reset();
        lock (_gate)
            _lastWriteAt = _time.GetUtcNow();
    }

    private void SetError(string message)
    {
        lock (_gate)
        {
            _lastError = message;
            _lastErrorAt = _time.GetUtcNow();
        }
    }

    private void UpdateState()
    {
        InfluxWriterState state;
        var backlog = _spool is not null && !_spool.IsEmpty;
        var held = _queue.Reader.TryPeek(out _) && _backoff.Failures > 0;
        if (_spool is not null && _spool.IsFull && (backlog || held))
            state = InfluxWriterState.SpoolFull;
        else if (backlog)
            state = InfluxWriterState.Spooling;
        else if (held)
            state = _spool is null ? InfluxWriterState.Waiting : InfluxWriterState.SpoolFull;
        else
            state = InfluxWriterState.Online;
        _state = state;
    }

    /// <summary>
    /// Called when a round moved nothing: waits for a new batch, for the next attempt to fall due, or both, whichever applies.
    /// Returns at once when an attempt is already due (a batch may have arrived after the round looked).
    /// </summary>
    private async Task WaitAsync(long nextAttemptAt, CancellationToken cancellationToken)
    {
        var queued = _queue.Reader.TryPeek(out _);
        var backlog = _spool is not null && !_spool.IsEmpty;
        if (!queued && !backlog)
        {
            await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (IsDue(nextAttemptAt))
            return;
        // Whole milliseconds, rounded up: timers have millisecond resolution, and a delay that rounds down to zero would
        // complete at once, before the attempt is due, and spin.
        var remaining = _time.GetElapsedTime(_time.GetTimestamp(), nextAttemptAt);
        var delay = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(remaining.TotalMilliseconds)));
        if (queued)
        {
            // The head batch can be neither sent (backing off) nor spooled (full or absent): wait for the next attempt.
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return;
        }

        // A backlog waits for its next replay attempt; a new batch meanwhile goes straight behind it.
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var data = _queue.Reader.WaitToReadAsync(either.Token).AsTask();
        var timer = Task.Delay(delay, _time, either.Token);
        await Task.WhenAny(data, timer).ConfigureAwait(false);
        await either.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB unreachable ({Error}): {Action}")]
    private partial void LogServerAway(string error, string action);

    [LoggerMessage(Level = LogLevel.Debug, Message = "InfluxDB still unreachable ({Error}); next attempt in {DelayMs:F0} ms")]
    private partial void LogStillAway(string error, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "InfluxDB reachable again after {Failures} failed attempts")]
    private partial void LogServerBack(int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing to the InfluxDB spool failed: {Error}")]
    private partial void LogSpoolWriteFailed(string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spool record in segment {Segment} at offset {Offset} is not a batch; skipped")]
    private partial void LogBadSpoolPayload(long segment, long offset);

    [LoggerMessage(Level = LogLevel.Error, Message = "InfluxDB writer step failed; backing off")]
    private partial void LogStepFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB writer shutdown timed out with {Points} points not yet durable")]
    private partial void LogShutdownTimeout(long points);
}
