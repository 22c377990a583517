using Microsoft.Extensions.Logging;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Metrics;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Monitoring.Pipeline;

public sealed partial class MonitoringPipeline
{
    private async Task ParseLoopAsync()
    {
        var reader = _input.Reader;
        var token = _hardStop.Token;
        var maxDelay = TimeSpan.FromMilliseconds(_options.MaxBatchDelayMs);
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                var batch = await _free.Reader.ReadAsync(token).ConfigureAwait(false);
                var started = _time.GetTimestamp();
                while (batch.Messages < _options.MaxBatchSize)
                {
                    if (reader.TryRead(out var message))
                    {
                        Accept(batch, message);
                        continue;
                    }

                    var remaining = maxDelay - _time.GetElapsedTime(started);
                    if (remaining <= TimeSpan.Zero) break;
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(token);
                    wait.CancelAfter(remaining);
                    try
                    {
                        if (!await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false)) break;
                    }
                    catch (OperationCanceledException) when (!token.IsCancellationRequested)
                    {
                        break;
                    }
                }

                _metrics.SetQueueDepth(PipelineQueue.Input, reader.Count);
                _metrics.SetQueueDepth(PipelineQueue.Score, _toScore.Reader.Count);
                await _toScore.Writer.WriteAsync(batch, token).ConfigureAwait(false);
            }
        }
        finally
        {
            _toScore.Writer.TryComplete();
        }
    }

    private void Accept(PipelineBatch batch, in InboundMessage message)
    {
        batch.Messages++;
        Interlocked.Increment(ref _received);
        _metrics.MessageReceived();
        if (message.Ack is not null) batch.Deliveries.Add(message.Ack);
        TelemetryParseResult result;
        try
        {
            result = _parser.Parse(message.Topic, message.Payload.Span);
        }
        catch (Exception ex)
        {
            DeadLetter(batch, message.Topic, message.Payload, DeadLetterReason.ProcessingFailed, "Parser failed: " + ex.Message);
            return;
        }

        if (!result.IsValid)
        {
            DeadLetter(batch, message.Topic, message.Payload, result.Reason, result.Message ?? result.Reason.ToLabel());
            return;
        }

        if (_duplicates.IsDuplicate(result.Key, result.Sample.Time))
        {
            DeadLetter(batch, message.Topic, message.Payload, DeadLetterReason.Duplicate, $"A sample of {result.Key} at {result.Sample.Time:O} is already stored.");
            return;
        }

        var i = batch.Count++;
        batch.Keys[i] = result.Key;
        batch.Samples[i] = result.Sample;
        batch.Night[i] = result.IsNight;
    }

    private void DeadLetter(PipelineBatch batch, string topic, ReadOnlyMemory<byte> payload, DeadLetterReason reason, string message)
    {
        batch.Results.DeadLetters.Add(new DeadLetterRecord(_time.GetUtcNow(), topic, payload, reason, message));
        _metrics.DeadLettered(reason);
        Interlocked.Increment(ref _deadLettered);
    }

    private async Task ScoreLoopAsync()
    {
        var reader = _toScore.Reader;
        var token = _hardStop.Token;
        var idle = TimeSpan.FromMilliseconds(_options.AlertIdleFlushMs);
        try
        {
            while (true)
            {
                bool more;
                if (_alerts.PendingGroups > 0)
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(token);
                    wait.CancelAfter(idle);
                    try
                    {
                        more = await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!token.IsCancellationRequested)
                    {
                        await ReleaseIdleGroupsAsync(token).ConfigureAwait(false);
                        continue;
                    }
                }
                else
                {
                    more = await reader.WaitToReadAsync(token).ConfigureAwait(false);
                }

                if (!more) break;
                while (reader.TryRead(out var batch))
                {
                    Score(batch);
                    _metrics.SetQueueDepth(PipelineQueue.Store, _toStore.Reader.Count);
                    await _toStore.Writer.WriteAsync(batch, token).ConfigureAwait(false);
                }
            }

            var last = await _free.Reader.ReadAsync(token).ConfigureAwait(false);
            _alerts.Flush(last.Results.Alerts);
            await _toStore.Writer.WriteAsync(last, token).ConfigureAwait(false);
        }
        finally
        {
            _toStore.Writer.TryComplete();
        }
    }

    private async Task ReleaseIdleGroupsAsync(CancellationToken token)
    {
        var batch = await _free.Reader.ReadAsync(token).ConfigureAwait(false);
        _alerts.Advance(_alerts.Watermark + _groupWindow + TimeSpan.FromTicks(1), batch.Results.Alerts);
        if (batch.Results.Alerts.Count == 0)
        {
            _free.Writer.TryWrite(batch);
            return;
        }

        await _toStore.Writer.WriteAsync(batch, token).ConfigureAwait(false);
    }

    private void Score(PipelineBatch batch)
    {
        var scorer = Scorer;
        if (!scorer.Fits(batch.Scoring)) batch.Scoring = scorer.CreateBatch(batch.Keys.Length); // a swapped model with other classes
        var scored = batch.Scoring;
        var start = _time.GetTimestamp();
        scorer.Score(batch.Keys.AsSpan(0, batch.Count), batch.Samples.AsSpan(0, batch.Count), batch.Night.AsSpan(0, batch.Count), scored);
        if (scored.ScoredCount > 0)
        {
            _metrics.ScoringLatency.Record(_time.GetElapsedTime(start).TotalSeconds);
            _metrics.BatchSize.Record(scored.ScoredCount);
        }

        if (scored.Error is { } error)
            _logger.LogError(error, "Scoring a batch of {Rows} samples failed; they are stored without a condition and dead-lettered as processing_failed.", scored.ScoredCount);
        var results = batch.Results;
        for (var i = 0; i < batch.Count; i++)
        {
            var key = batch.Keys[i];
            var sample = batch.Samples[i];
            results.Telemetry.Add(new TelemetryRecord(key, sample));
            if (!scored.TryGetCondition(i, out var condition))
            {
                DeadLetter(batch, key.ToString(), ReadOnlyMemory<byte>.Empty, DeadLetterReason.ProcessingFailed, $"Scoring failed for {key} at {sample.Time:O}.");
                continue;
            }

            results.Conditions.Add(condition);
            _alerts.Process(condition, scored.ClassProbabilities(i), results.Alerts);
        }

        Drift?.Observe(results.Conditions);
        _metrics.Scored(scored.Error is null ? scored.ScoredCount : 0);
        _metrics.Night(batch.Count - scored.ScoredCount);
    }
}
