using Microsoft.Extensions.Logging;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Scoring;
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

                _inputDepth.Set(reader.Count);
                _scoreDepth.Set(_toScore.Reader.Count);
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
        _metrics.MessagesReceived.Inc();
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
        _metrics.DeadLettered(reason).Inc();
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
                    _storeDepth.Set(_toStore.Reader.Count);
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
        var scored = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch.Night[i]) continue;
            batch.Scored[scored] = batch.Samples[i];
            batch.ScoredRow[scored] = i;
            scored++;
        }

        batch.ScoredCount = scored;
        var classes = _scorer.Classes;
        var k = classes.Count;
        var d = _scorer.Features.Count;
        var failed = false;
        if (scored > 0)
        {
            var start = _time.GetTimestamp();
            try
            {
                _scorer.Score(batch.Scored.AsSpan(0, scored), batch.Features, batch.Probabilities, batch.Elbo, batch.Z);
            }
            catch (Exception ex)
            {
                failed = true;
                _logger.LogError(ex, "Scoring a batch of {Rows} samples failed; they are stored without a condition and dead-lettered as processing_failed.", scored);
            }

            _metrics.ScoringLatency.Observe(_time.GetElapsedTime(start).TotalSeconds);
            _metrics.BatchSize.Observe(scored);
        }

        var version = _scorer.ModelVersion;
        var zFeatures = _scorer.HasElbo ? _scorer.Features : null; // reconstruction z-scores come with the ELBO (SDGM)
        var results = batch.Results;
        var next = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var key = batch.Keys[i];
            var sample = batch.Samples[i];
            results.Telemetry.Add(new TelemetryRecord(key, sample));
            ScoredSample alertInput;
            if (batch.Night[i])
            {
                results.Conditions.Add(ConditionRecord.ForNight(key, sample.Time, version));
                alertInput = new ScoredSample(key, sample.Time, null, double.NaN, double.NaN, false, true, version);
            }
            else
            {
                var r = next++;
                if (failed)
                {
                    DeadLetter(batch, key.ToString(), ReadOnlyMemory<byte>.Empty, DeadLetterReason.ProcessingFailed, $"Scoring failed for {key} at {sample.Time:O}.");
                    continue;
                }

                var probs = batch.Probabilities.AsSpan(r * k, k);
                var wide = batch.ProbabilitiesWide.AsSpan(r * k, k);
                for (var c = 0; c < k; c++) wide[c] = probs[c];
                var (best, confidence) = ConditionScorer.ArgMax(probs);
                double elbo = batch.Elbo[r];
                var anomaly = _scorer.IsAnomaly(elbo);
                var z = zFeatures is null ? ReadOnlyMemory<float>.Empty : batch.Z.AsMemory(r * d, d);
                results.Conditions.Add(new ConditionRecord(key, sample.Time, version, classes[best], confidence, classes,
                    batch.ProbabilitiesWide.AsMemory(r * k, k), elbo, anomaly, false)
                {
                    Features = zFeatures,
                    ReconstructionZ = z,
                });
                alertInput = new ScoredSample(key, sample.Time, classes[best], confidence, elbo, anomaly, false, version)
                {
                    FaultProbability = _alerts.FaultProbability(classes, probs),
                    Features = zFeatures,
                    ReconstructionZ = z,
                };
            }

            _alerts.Process(alertInput, results.Alerts);
        }

        _metrics.SamplesScored.Inc(failed ? 0 : scored);
        _metrics.SamplesNight.Inc(batch.Count - scored);
    }
}
