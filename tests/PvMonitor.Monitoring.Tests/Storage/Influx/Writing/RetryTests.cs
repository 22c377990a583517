using Microsoft.Extensions.Time.Testing;
using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;
using PvMonitor.Monitoring.Storage.Influx.Writing;
using PvMonitor.Monitoring.Tests.Storage.Influx.TestSupport;
using PvMonitor.Testing;

namespace PvMonitor.Monitoring.Tests.Storage.Influx.Writing;

public class RetryTests
{
    private static readonly ReadOnlyMemory<byte> Lines = "m v=1i\n"u8.ToArray();

    [Fact]
    public void Backoff_grows_exponentially_with_seeded_jitter_is_capped_and_honours_retry_after()
    {
        var random = new Random(42);
        var schedule = new BackoffSchedule(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), random.NextDouble);
        var delays = Enumerable.Range(0, 8).Select(_ => schedule.NextDelay().TotalMilliseconds).ToArray();
        for (var i = 0; i < delays.Length; i++)
        {
            var ceiling = Math.Min(100 * Math.Pow(2, i), 1000);
            delays[i].Should().BeInRange(ceiling / 2, ceiling, $"attempt {i}");
        }

        var again = new BackoffSchedule(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), new Random(42).NextDouble);
        Enumerable.Range(0, 8).Select(_ => again.NextDelay().TotalMilliseconds).Should().Equal(delays, "same seed, same delays");

        schedule.NextDelay(TimeSpan.FromSeconds(30)).Should().Be(TimeSpan.FromSeconds(30));
        schedule.Reset();
        schedule.Failures.Should().Be(0);
        schedule.NextDelay().TotalMilliseconds.Should().BeLessThanOrEqualTo(100);
    }

    [Fact]
    public async Task The_pipeline_retries_5xx_with_exponential_jittered_delays_and_gives_up_after_max_retries()
    {
        var time = new DelayRecordingTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var endpoint = new FakeEndpoint();
        var busy = new WriteResult(WriteStatus.Retryable, 503, "busy", null);
        endpoint.Script(busy, busy, busy, busy);
        var options = new InfluxOptions { Version = 1, MaxRetries = 3, RetryBaseDelayMs = 200, RetryMaxDelayMs = 5000 };
        var pipeline = InfluxRetry.CreatePipeline(options, time, new Random(3).NextDouble);

        var run = pipeline.ExecuteAsync(ct => endpoint.WriteAsync(Lines, WritePrecision.Milliseconds, ct)).AsTask();
        await Eventually.TrueAsync(() => run.IsCompleted, time, TimeSpan.FromMilliseconds(50));
        (await run).Should().Be(busy);
        endpoint.Requests.Should().Be(4);
        time.RequestedDelays.Should().HaveCount(3).And.OnlyContain(d => d > TimeSpan.Zero && d <= TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Rejected_and_failed_results_are_not_retried_in_line()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var endpoint = new FakeEndpoint();
        endpoint.Script(new WriteResult(WriteStatus.Rejected, 400, "bad", null), new WriteResult(WriteStatus.Failed, 401, "unauthorized", null));
        var pipeline = InfluxRetry.CreatePipeline(new InfluxOptions { Version = 1 }, time, new Random(3).NextDouble);
        (await pipeline.ExecuteAsync(ct => endpoint.WriteAsync(Lines, WritePrecision.Milliseconds, ct))).Status.Should().Be(WriteStatus.Rejected);
        (await pipeline.ExecuteAsync(ct => endpoint.WriteAsync(Lines, WritePrecision.Milliseconds, ct))).Status.Should().Be(WriteStatus.Failed);
        endpoint.Requests.Should().Be(2);
    }

    [Fact]
    public void A_retry_after_beyond_the_cap_is_left_to_the_spool()
    {
        var cap = TimeSpan.FromSeconds(30);
        InfluxRetry.ShouldRetry(new WriteResult(WriteStatus.Retryable, 429, null, TimeSpan.FromSeconds(30)), cap).Should().BeTrue();
        InfluxRetry.ShouldRetry(new WriteResult(WriteStatus.Retryable, 429, null, TimeSpan.FromSeconds(31)), cap).Should().BeFalse();
        InfluxRetry.ShouldRetry(new WriteResult(WriteStatus.Retryable, 0, "refused", null), cap).Should().BeTrue();
    }
}
