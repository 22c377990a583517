using System.Text;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Testing;

namespace PvMonitor.Monitoring.Tests.Alerts;

public class WebhookDispatcherTests
{
    private static AlertsOptions Options(params WebhookTarget[] targets) => new()
    {
        Webhooks = [.. targets],
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        RetryMaxDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromSeconds(10),
        MaxRetries = 4,
    };

    private static HttpClient Client() => new() { Timeout = Timeout.InfiniteTimeSpan };

    [Fact]
    public async Task Posts_the_golden_body_with_a_valid_signature_to_every_webhook()
    {
        await using var one = new WebhookReceiver();
        await using var two = new WebhookReceiver();
        using var http = Client();
        await using var dispatcher = new WebhookDispatcher(
            Options(new WebhookTarget { Url = one.Url(), Secret = "s3cret" }, new WebhookTarget { Url = two.Url("other"), Secret = "another" }), http);

        dispatcher.TryEnqueue(AlertJsonWriterTests.Sample).Should().BeTrue();
        await Eventually.TrueAsync(() => dispatcher.Delivered == 2, because: "both webhooks got the alert");

        var a = one.Requests.Should().ContainSingle().Subject;
        a.Method.Should().Be("POST");
        a.Path.Should().Be("/hook");
        Encoding.UTF8.GetString(a.Body).Should().Be(AlertJsonWriterTests.GoldenBody);
        a.Headers[WebhookSignature.HeaderName].Should().Be(AlertJsonWriterTests.GoldenSignature);
        a.Headers["X-PvMonitor-Event"].Should().Be("fault_entered");
        a.Headers["Content-Type"].Should().StartWith("application/json");

        var b = two.Requests.Should().ContainSingle().Subject;
        b.Body.Should().Equal(a.Body);
        WebhookSignature.Verify("another", b.Body, b.Headers[WebhookSignature.HeaderName]).Should().BeTrue();
        WebhookSignature.Verify("s3cret", b.Body, b.Headers[WebhookSignature.HeaderName]).Should().BeFalse("each URL signs with its own secret");
        dispatcher.Failed.Should().Be(0);
        dispatcher.FailedAttempts.Should().Be(0);
    }

    [Fact]
    public async Task Retries_server_errors_then_succeeds()
    {
        await using var receiver = new WebhookReceiver((n, r) => { r.StatusCode = n < 2 ? 500 : 200; return Task.CompletedTask; });
        using var http = Client();
        await using var dispatcher = new WebhookDispatcher(Options(new WebhookTarget { Url = receiver.Url(), Secret = "s" }), http);

        dispatcher.TryEnqueue(AlertJsonWriterTests.Sample);
        await Eventually.TrueAsync(() => dispatcher.Delivered == 1, because: "the third attempt succeeded");

        receiver.Requests.Should().HaveCount(3);
        receiver.Requests.Select(r => Encoding.UTF8.GetString(r.Body)).Distinct().Should().ContainSingle();
        dispatcher.FailedAttempts.Should().Be(2);
        dispatcher.Failed.Should().Be(0);
    }

    [Fact]
    public async Task Gives_up_after_the_retries_and_counts_it()
    {
        await using var receiver = new WebhookReceiver((_, r) => { r.StatusCode = 503; return Task.CompletedTask; });
        using var http = Client();
        var options = Options(new WebhookTarget { Url = receiver.Url(), Secret = "s" });
        options.MaxRetries = 2;
        await using var dispatcher = new WebhookDispatcher(options, http);

        dispatcher.TryEnqueue(AlertJsonWriterTests.Sample);
        await Eventually.TrueAsync(() => dispatcher.Failed == 1, because: "the delivery was given up");

        receiver.Requests.Should().HaveCount(3);
        dispatcher.FailedAttempts.Should().Be(3);
        dispatcher.Delivered.Should().Be(0);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        await using var receiver = new WebhookReceiver((_, r) => { r.StatusCode = 400; return Task.CompletedTask; });
        using var http = Client();
        await using var dispatcher = new WebhookDispatcher(Options(new WebhookTarget { Url = receiver.Url(), Secret = "s" }), http);

        dispatcher.TryEnqueue(AlertJsonWriterTests.Sample);
        await Eventually.TrueAsync(() => dispatcher.Failed == 1, because: "the delivery was given up");

        receiver.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task Retry_after_is_honoured_instead_of_the_backoff()
    {
        // The backoff is an hour, so only the Retry-After of 0 s lets the retry happen within the test.
        await using var receiver = new WebhookReceiver((n, r) =>
        {
            r.StatusCode = n == 0 ? 429 : 200;
            if (n == 0) r.AddHeader("Retry-After", "0");
            return Task.CompletedTask;
        });
        using var http = Client();
        var options = Options(new WebhookTarget { Url = receiver.Url(), Secret = "s" });
        options.RetryBaseDelay = TimeSpan.FromHours(1);
        options.RetryMaxDelay = TimeSpan.FromHours(1);
        await using var dispatcher = new WebhookDispatcher(options, http);

        dispatcher.TryEnqueue(AlertJsonWriterTests.Sample);
        await Eventually.TrueAsync(() => dispatcher.Delivered == 1, because: "the retry after Retry-After succeeded");

        receiver.Requests.Should().HaveCount(2);
        dispatcher.FailedAttempts.Should().Be(1);
    }

    [Fact]
    public async Task A_hanging_webhook_never_blocks_enqueue_and_overflow_is_counted()
    {
        await using var receiver = new WebhookReceiver(async (_, _) => await Task.Delay(Timeout.Infinite));
        using var http = Client();
        var options = Options(new WebhookTarget { Url = receiver.Url(), Secret = "s" });
        options.QueueCapacity = 4;
        options.AttemptTimeout = TimeSpan.FromMinutes(5);
        var dispatcher = new WebhookDispatcher(options, http);

        await Eventually.TrueAsync(() => { dispatcher.TryEnqueue(AlertJsonWriterTests.Sample); return !receiver.Requests.IsEmpty; }, because: "the first POST reached the hanging server");
        var accepted = 0;
        for (var k = 0; k < 500; k++)
            if (dispatcher.TryEnqueue(AlertJsonWriterTests.Sample with { Time = AlertJsonWriterTests.Sample.Time.AddMinutes(k) })) accepted++;

        accepted.Should().Be(500, "a full queue drops its oldest entry instead of refusing or blocking");
        dispatcher.QueueDepth.Should().Be(4);
        dispatcher.Dropped.Should().BeGreaterThanOrEqualTo(496);
        dispatcher.Delivered.Should().Be(0);

        await dispatcher.DisposeAsync();
        dispatcher.TryEnqueue(AlertJsonWriterTests.Sample).Should().BeFalse("a stopped dispatcher accepts nothing");
        dispatcher.QueueDepth.Should().Be(0);
    }

    [Fact]
    public async Task Stop_drains_queued_alerts()
    {
        await using var receiver = new WebhookReceiver();
        using var http = Client();
        var dispatcher = new WebhookDispatcher(Options(new WebhookTarget { Url = receiver.Url(), Secret = "s" }), http);
        for (var k = 0; k < 5; k++) dispatcher.TryEnqueue(AlertJsonWriterTests.Sample);

        await dispatcher.StopAsync(TimeSpan.FromSeconds(30));

        dispatcher.Delivered.Should().Be(5);
        receiver.Requests.Should().HaveCount(5);
        dispatcher.Dropped.Should().Be(0);
    }

    [Fact]
    public async Task No_webhooks_means_nothing_to_do()
    {
        using var http = Client();
        await using var dispatcher = new WebhookDispatcher(new AlertsOptions(), http);
        dispatcher.TryEnqueue(AlertJsonWriterTests.Sample).Should().BeTrue();
        dispatcher.WebhookCount.Should().Be(0);
        dispatcher.QueueDepth.Should().Be(0);
    }
}
