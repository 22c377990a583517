using Polly;
using Polly.Retry;

namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>
/// The in-line retry of one write request (Polly): up to <see cref="InfluxOptions.MaxRetries"/> retries after
/// <see cref="WriteStatus.Retryable"/> results (429, 5xx, timeouts, refused connections), exponential backoff with jitter
/// from <see cref="InfluxOptions.RetryBaseDelayMs"/> capped at <see cref="InfluxOptions.RetryMaxDelayMs"/>, and a server's
/// Retry-After used as the delay. A Retry-After longer than the cap is not waited for here: the result comes back at once
/// so the writer can spool the batch and resume after that time.
/// </summary>
public static class InfluxRetry
{
    /// <summary>Builds the pipeline; time and randomness come from <paramref name="timeProvider"/> and <paramref name="random"/> (values in [0, 1)).</summary>
    public static ResiliencePipeline<WriteResult> CreatePipeline(InfluxOptions options, TimeProvider timeProvider, Func<double> random)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxRetries == 0)
            return ResiliencePipeline<WriteResult>.Empty;
        var cap = TimeSpan.FromMilliseconds(options.RetryMaxDelayMs);
        return new ResiliencePipelineBuilder<WriteResult> { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<WriteResult>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMs),
                MaxDelay = cap,
                Randomizer = random,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && ShouldRetry(args.Outcome.Result, cap)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result.RetryAfter),
            })
            .Build();
    }

    /// <summary>Whether <paramref name="result"/> deserves an in-line retry: retryable, and any Retry-After within <paramref name="cap"/>.</summary>
    public static bool ShouldRetry(WriteResult result, TimeSpan cap) =>
        result.Status == WriteStatus.Retryable && (result.RetryAfter is null || result.RetryAfter <= cap);
}
