using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace PvMonitor.Monitoring.Alerts;

/// <summary>
/// Sends alert events to every configured webhook in the background. <see cref="TryEnqueue"/> never blocks and never throws
/// for a slow or failing receiver: each webhook has its own bounded queue (<see cref="AlertsOptions.QueueCapacity"/>) and
/// sender loop. When a queue is full the <b>oldest</b> waiting alert is dropped and counted in <see cref="Dropped"/>: the
/// freshest state matters most to an operator, open alerts are re-sent by the repeat interval anyway, and every alert is also
/// stored in <c>pv_alert</c>. Each POST carries <c>X-PvMonitor-Signature</c> (<see cref="WebhookSignature"/>) and
/// <c>X-PvMonitor-Event</c> (the kind), and is retried with Polly: exponential backoff with jitter from a seeded random source,
/// capped at <see cref="AlertsOptions.RetryMaxDelay"/>; a 429/503 <c>Retry-After</c> is honoured (capped at
/// <see cref="AlertsOptions.MaxRetryAfter"/>); each attempt times out after <see cref="AlertsOptions.AttemptTimeout"/>.
/// </summary>
/// <remarks>Give it an <see cref="HttpClient"/> whose own <see cref="HttpClient.Timeout"/> is infinite or longer than the attempt timeout.</remarks>
public sealed class WebhookDispatcher : IAsyncDisposable
{
    private readonly AlertsOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly Target[] _targets;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Random _random;
    private long _delivered, _failed, _failedAttempts, _dropped;
    private int _stopped;

    /// <summary>Creates the dispatcher and starts one sender loop per webhook.</summary>
    /// <param name="options">Validated options (<see cref="AlertsOptions.Webhooks"/> and the retry settings).</param>
    /// <param name="http">The client used for every POST (not disposed by the dispatcher).</param>
    /// <param name="timeProvider">Clock for backoff delays, timeouts and Retry-After dates; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="random">Seeded random source for jitter; default <c>new Random(options.JitterSeed)</c>.</param>
    /// <param name="logger">Logger for failed deliveries; default none.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names the keys.</exception>
    public WebhookDispatcher(AlertsOptions options, HttpClient http, TimeProvider? timeProvider = null, Random? random = null, ILogger<WebhookDispatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        options.ThrowIfInvalid();
        _options = options;
        _http = http;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? new Random(options.JitterSeed);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _pipeline = BuildPipeline();
        _targets = new Target[options.Webhooks.Count];
        for (var k = 0; k < _targets.Length; k++)
        {
            var channel = Channel.CreateBounded<Delivery>(
                new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
                _ => Interlocked.Increment(ref _dropped));
            _targets[k] = new Target(options.Webhooks[k], new Uri(options.Webhooks[k].Url), channel);
        }

        foreach (var t in _targets) t.Loop = Task.Run(() => RunAsync(t, _stopping.Token));
    }

    /// <summary>Alerts delivered (a 2xx answer), summed over webhooks.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Deliveries given up (retries exhausted or a non-retryable answer such as 400), summed over webhooks.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Failed HTTP attempts, including those retried successfully later (metric <c>webhook failures</c>).</summary>
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    /// <summary>Alerts dropped because a webhook's queue was full (the oldest is dropped) or the dispatcher was stopped.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Alerts waiting, summed over webhooks.</summary>
    public int QueueDepth
    {
        get
        {
            var depth = 0;
            foreach (var t in _targets) depth += t.Channel.Reader.Count;
            return depth;
        }
    }

    /// <summary>Number of configured webhooks.</summary>
    public int WebhookCount => _targets.Length;

    /// <summary>
    /// Queues <paramref name="alert"/> for every webhook; returns at once. False when the dispatcher is stopped (the alert is
    /// then counted as dropped). A full queue drops its oldest alert instead (counted) and still returns true.
    /// </summary>
    public bool TryEnqueue(AlertEvent alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (_targets.Length == 0) return true;
        var delivery = new Delivery(AlertJsonWriter.ToUtf8Bytes(alert), alert.Kind.ToWireName());
        var all = true;
        foreach (var t in _targets)
        {
            if (!t.Channel.Writer.TryWrite(delivery))
            {
                Interlocked.Increment(ref _dropped);
                all = false;
            }
        }

        return all;
    }

    /// <summary>Stops accepting alerts, lets queued ones go out for up to <paramref name="drainTimeout"/>, then cancels the rest.</summary>
    public async Task StopAsync(TimeSpan drainTimeout)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
            foreach (var t in _targets) t.Channel.Writer.TryComplete();
        var loops = Task.WhenAll(_targets.Select(t => t.Loop!));
        if (drainTimeout > TimeSpan.Zero)
        {
            using var delayCts = new CancellationTokenSource();
            var delay = Task.Delay(drainTimeout, _time, delayCts.Token);
            await Task.WhenAny(loops, delay).ConfigureAwait(false);
            delayCts.Cancel();
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await loops.ConfigureAwait(false);
        foreach (var t in _targets)
            while (t.Channel.Reader.TryRead(out _)) Interlocked.Increment(ref _dropped);
    }

    /// <summary>Stops without draining (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(Target target, CancellationToken ct)
    {
        try
        {
            var reader = target.Channel.Reader;
            while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
                while (reader.TryRead(out var delivery))
                    await SendAsync(target, delivery, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task SendAsync(Target target, Delivery delivery, CancellationToken ct)
    {
        var signature = WebhookSignature.Compute(target.Config.Secret, delivery.Body);
        try
        {
            using var response = await _pipeline.ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, target.Uri);
                request.Content = new ByteArrayContent(delivery.Body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, signature);
                request.Headers.TryAddWithoutValidation("X-PvMonitor-Event", delivery.Kind);
                return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _delivered);
                return;
            }

            Interlocked.Increment(ref _failedAttempts);
            Interlocked.Increment(ref _failed);
            _logger.LogWarning("Webhook {Url} answered {Status} to a {Kind} alert; giving up.", target.Uri, (int)response.StatusCode, delivery.Kind);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Interlocked.Increment(ref _dropped);
            throw;
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _failedAttempts);
            Interlocked.Increment(ref _failed);
            _logger.LogWarning(ex, "Webhook {Url} failed for a {Kind} alert after retries; giving up.", target.Uri, delivery.Kind);
        }
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time };
        if (_options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.RetryMaxDelay,
                Randomizer = NextJitter,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    Interlocked.Increment(ref _failedAttempts);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(_options.AttemptTimeout);
        return builder.Build();
    }

    private double NextJitter()
    {
        lock (_random) return _random.NextDouble();
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken ct) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Exception: OperationCanceledException } => !ct.IsCancellationRequested,
        { Exception: not null } => false,
        { Result: { } r } => r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500,
        _ => false,
    };

    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response is null || response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)) return null;
        var header = response.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - _time.GetUtcNow() : null);
        if (delay is not { } d) return null;
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        return d > _options.MaxRetryAfter ? _options.MaxRetryAfter : d;
    }

    private sealed record Delivery(byte[] Body, string Kind);

    private sealed class Target(WebhookTarget config, Uri uri, Channel<Delivery> channel)
    {
        public WebhookTarget Config { get; } = config;

        public Uri Uri { get; } = uri;

        public Channel<Delivery> Channel { get; } = channel;

        public Task? Loop { get; set; }
    }
}
