using PvMonitor.Monitoring.Alerts;

namespace PvMonitor.Monitoring.Pipeline;

/// <summary>Publishes alerts to a <see cref="WebhookDispatcher"/> (its bounded per-webhook queues never block).</summary>
/// <param name="dispatcher">The dispatcher; owned by the caller.</param>
public sealed class WebhookAlertPublisher(WebhookDispatcher dispatcher) : IAlertPublisher
{
    /// <inheritdoc />
    public bool TryPublish(AlertEvent alert) => dispatcher.TryEnqueue(alert);
}
