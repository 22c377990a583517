using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Metrics;
using PvMonitor.Monitoring.Pipeline;

namespace PvMonitor.Hosting;

/// <summary>
/// Alert webhooks as a hosted service: a <see cref="WebhookDispatcher"/> for <c>Alerts:Webhooks</c> (none: alerts are only
/// stored) on the HTTP client factory's <see cref="HttpClientName"/> client. It is stopped after the pipeline drained, giving
/// queued deliveries up to five seconds.
/// </summary>
public sealed class WebhookDelivery : IHostedService, IAlertPublisher, IAsyncDisposable
{
    /// <summary>The named <see cref="HttpClient"/> webhooks are sent with.</summary>
    public const string HttpClientName = "webhooks";

    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private readonly WebhookDispatcher? _dispatcher;
    private int _disposed;

    /// <summary>Creates the dispatcher when webhooks are configured.</summary>
    public WebhookDelivery(IOptions<AlertsOptions> options, IHttpClientFactory http, TimeProvider time, MonitoringMetrics metrics, ILogger<WebhookDispatcher> logger)
    {
        var alerts = options.Value;
        if (alerts.Webhooks.Count == 0) return;
        _dispatcher = new WebhookDispatcher(alerts, http.CreateClient(HttpClientName), time, new Random(alerts.JitterSeed), logger);
        metrics.ObserveWebhooks(_dispatcher);
    }

    /// <inheritdoc />
    public bool TryPublish(AlertEvent alert) => _dispatcher?.TryEnqueue(alert) ?? true;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _dispatcher?.StopAsync(StopGrace) ?? Task.CompletedTask;

    /// <summary>Disposes the dispatcher once (the container disposes each registration this instance is resolved through).</summary>
    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 && _dispatcher is not null ? _dispatcher.DisposeAsync() : ValueTask.CompletedTask;
}
