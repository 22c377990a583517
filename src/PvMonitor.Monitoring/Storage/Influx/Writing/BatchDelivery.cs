using System.Text;
using Microsoft.Extensions.Logging;
using Polly;

namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>Whether a batch is done with (every line stored or dead-lettered) and, if not, the last failure.</summary>
internal readonly record struct DeliveryOutcome(bool Delivered, WriteResult Failure);

/// <summary>
/// Delivers one batch: sends it through the retry pipeline; on 400 (bad data) or 413 (too large) splits it in halves until the
/// refused lines stand alone, and dead-letters each with the server's message. Any other failure leaves the batch undelivered
/// (the writer then spools it); lines already stored in an earlier half are written again later, which InfluxDB treats as
/// an overwrite of the same point.
/// </summary>
internal sealed partial class BatchDelivery(
    IInfluxWriteEndpoint endpoint,
    ResiliencePipeline<WriteResult> pipeline,
    IDeadLetterSink? deadLetters,
    WriterCounters counters,
    DeadLetterLog recent,
    TimeProvider time,
    ILogger logger)
{
    public async Task<DeliveryOutcome> DeliverAsync(LineBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
            return new DeliveryOutcome(true, WriteResult.Written);
        return await SendRangeAsync(batch, 0, batch.Count, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DeliveryOutcome> SendRangeAsync(LineBatch batch, int from, int to, CancellationToken cancellationToken)
    {
        var result = await SendAsync(batch, from, to, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case WriteStatus.Written:
                Interlocked.Add(ref counters.Written, to - from);
                return new DeliveryOutcome(true, result);
            case WriteStatus.Rejected or WriteStatus.TooLarge when to - from == 1:
                DeadLetter(batch, from, result);
                return new DeliveryOutcome(true, result);
            case WriteStatus.Rejected or WriteStatus.TooLarge:
                if (result.Status == WriteStatus.Rejected)
                    LogSplitting(to - from, result.Message);
                var middle = from + (to - from) / 2;
                var first = await SendRangeAsync(batch, from, middle, cancellationToken).ConfigureAwait(false);
                if (!first.Delivered)
                    return first;
                return await SendRangeAsync(batch, middle, to, cancellationToken).ConfigureAwait(false);
            default:
                Interlocked.Increment(ref counters.FailedRequests);
                return new DeliveryOutcome(false, result);
        }
    }

    private async ValueTask<WriteResult> SendAsync(LineBatch batch, int from, int to, CancellationToken cancellationToken)
    {
        try
        {
            return await pipeline.ExecuteAsync(
                static (state, ct) => state.Endpoint.WriteAsync(state.Lines, state.Precision, ct),
                (Endpoint: endpoint, Lines: batch.Lines(from, to), batch.Precision),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return new WriteResult(WriteStatus.Failed, 0, $"{e.GetType().Name}: {e.Message}", null);
        }
    }

    private void DeadLetter(LineBatch batch, int index, WriteResult result)
    {
        var line = Encoding.UTF8.GetString(batch.Line(index));
        var letter = new DeadLetter(line, result.Message ?? result.Status.ToString(), result.HttpStatus, time.GetUtcNow());
        Interlocked.Increment(ref counters.DeadLettered);
        recent.Add(letter);
        LogDeadLetter(letter.HttpStatus, letter.Reason, line);
        if (deadLetters is null)
            return;
        try
        {
            deadLetters.Write(letter);
        }
        catch (Exception e)
        {
            LogDeadLetterSinkFailed(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "InfluxDB refused a request of {Lines} lines ({Message}); splitting it to isolate the bad lines")]
    private partial void LogSplitting(int lines, string? message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettered a line refused by InfluxDB (HTTP {Status}: {Reason}): {Line}")]
    private partial void LogDeadLetter(int status, string reason, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record a dead letter: {Error}")]
    private partial void LogDeadLetterSinkFailed(string error);
}
