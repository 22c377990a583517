using Polly;
using Polly.Retry;

namespace PvMonitor.Mqtt.Session;

/// <summary>
/// The reconnect policy as a Polly retry: retry forever on any failure except cancellation, exponential backoff from
/// <see cref="MqttClientOptions.ReconnectMinDelay"/> with decorrelated jitter, capped at <see cref="MqttClientOptions.ReconnectMaxDelay"/>.
/// Time and randomness come from the caller so tests can drive it without sleeping.
/// </summary>
internal static class ReconnectPipeline
{
    public static ResiliencePipeline Create(MqttClientOptions options, TimeProvider time, Func<double> randomizer,
        Func<OnRetryArguments<object>, ValueTask> onRetry)
    {
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(static ex => ex is not OperationCanceledException),
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
