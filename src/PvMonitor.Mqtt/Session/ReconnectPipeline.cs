using Polly;
using Polly.Retry;

namespace PvMonitor.Mqtt.Session;

/// <summary>
/// The reconnect policy as a Polly retry: retry forever on the failures <c>shouldRetry</c> accepts (never cancellation), exponential backoff from
/// <see cref="MqttClientOptions.ReconnectMinDelay"/> with decorrelated jitter, capped at <see cref="MqttClientOptions.ReconnectMaxDelay"/>.
/// Time and randomness come from the caller so tests can drive it without sleeping.
/// </summary>
internal static class ReconnectPipeline
{
    public static ResiliencePipeline Create(MqttClientOptions options, TimeProvider time, Func<double> randomizer,
        Func<OnRetryArguments<object>, ValueTask> onRetry, Func<Exception, bool> shouldRetry)
    {
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException && shouldRetry(ex)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.ReconnectMinDelay,
                MaxDelay = options.ReconnectMaxDelay,
                MaxRetryAttempts = int.MaxValue,
                Randomizer = randomizer,
                OnRetry = onRetry,
            })
            .Build();
    }
}
