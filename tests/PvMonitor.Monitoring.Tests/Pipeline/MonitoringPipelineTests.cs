using System.Globalization;
using System.Text;
using PvMonitor.Domain.Conditions;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Metrics;
using PvMonitor.Monitoring.Pipeline;
using PvMonitor.Monitoring.Scoring;
using PvMonitor.Monitoring.Storage;
using PvMonitor.Testing;

namespace PvMonitor.Monitoring.Tests.Pipeline;

public sealed class MonitoringPipelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private sealed class Harness : IAsyncDisposable
    {
        public Harness(RecordingStore? store = null, FakeConditionModel? model = null, PipelineOptions? options = null, TimeProvider? time = null)
        {
            Store = store ?? new RecordingStore();
            Model = model ?? new FakeConditionModel();
            Metrics = new MonitoringMetrics();
            var ingest = new IngestOptions();
            var alerts = new AlertsOptions { GroupWindow = TimeSpan.Zero, RepeatInterval = TimeSpan.Zero };
            Pipeline = new MonitoringPipeline(
                options ?? new PipelineOptions { MaxBatchSize = 16, MaxBatchDelayMs = 5, BatchesInFlight = 3, MaxConcurrentWrites = 2, StoreRetryDelayMs = 5 },
                new TelemetryPayloadParser(ingest),
                new DuplicateFilter(ingest),
                new ConditionScorer(Model),
                new AlertEngine(alerts, new ConditionCatalog()),
                alerts.GroupWindow,
                Store,
                Published,
                Metrics,
                time);
            Pipeline.Start();
        }

        public RecordingStore Store { get; }

        public FakeConditionModel Model { get; }

        public MonitoringMetrics Metrics { get; }

        public MonitoringPipeline Pipeline { get; }

        public CollectingPublisher Published { get; } = new();

        public ValueTask SendAsync(string topic, string payload) =>
            Pipeline.Input.WriteAsync(new InboundMessage(topic, Encoding.UTF8.GetBytes(payload)));

        public ValueTask SendAsync(string str, DateTimeOffset time, double v = 600, double g = 800, double w = 3) =>
            SendAsync($"pv/p1/inv1/{str}/telemetry", Payload(time, v, g, w));

        public async ValueTask DisposeAsync()
        {
            await Pipeline.DisposeAsync();
            Metrics.Dispose();
        }
    }

    private sealed class CollectingPublisher : IAlertPublisher
    {
        private readonly List<AlertEvent> _alerts = [];

        public IReadOnlyList<AlertEvent> Snapshot()
        {
            lock (_alerts) return _alerts.ToList();
        }

        public bool TryPublish(AlertEvent alert)
        {
            lock (_alerts) _alerts.Add(alert);
            return true;
        }
    }

    private static string Payload(DateTimeOffset time, double v, double g, double w) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"time":"{{time:yyyy-MM-ddTHH:mm:ssZ}}","I":8.5,"V":{{v}},"G":{{g}},"TExt":20,"TMod":40,"W":{{w}}}""");

    [Fact]
    public async Task Valid_night_and_malformed_messages_are_stored_scored_or_dead_lettered()
    {
        var h = new Harness();
        await using (h)
        {
            for (var i = 0; i < 40; i++) await h.SendAsync("S1", T0.AddMinutes(i));
            for (var i = 0; i < 5; i++) await h.SendAsync("S2", T0.AddMinutes(i), g: 5);
            await h.SendAsync("pv/p1/inv1/S3/telemetry", "{not json");
            await h.SendAsync("pv/p1/inv1/S3/telemetry", Payload(T0, v: -5, g: 800, w: 3));
            await h.SendAsync("some/other/topic", Payload(T0, 600, 800, 3));
            await h.Pipeline.StopAsync();
        }

        h.Store.Telemetry.Should().HaveCount(45);
        h.Store.Conditions.Should().HaveCount(45);
        var night = h.Store.Conditions.Values.Where(c => c.Key.String == "S2").ToList();
        night.Should().OnlyContain(c => c.Night && c.Condition == ConditionRecord.NightCondition);
        var day = h.Store.Conditions.Values.Where(c => c.Key.String == "S1").ToList();
        day.Should().OnlyContain(c => !c.Night && c.Condition == "N" && c.ModelVersion == "fake-1");
        day[0].Probabilities.ToArray().Should().Equal(0.95f, 0.05f);
        day[0].Features.Should().Equal("I", "V", "G", "TExt", "TMod", "W");
        h.Store.DeadLetters.Select(d => d.Reason).Should().BeEquivalentTo(
            [DeadLetterReason.MalformedJson, DeadLetterReason.OutOfRange, DeadLetterReason.TopicMismatch]);
        Encoding.UTF8.GetString(h.Store.DeadLetters[0].Payload.Span).Should().Be("{not json");
        h.Metrics.MessagesReceived.Should().Be(48);
        h.Metrics.SamplesScored.Should().Be(40);
        h.Metrics.SamplesNight.Should().Be(5);
        h.Metrics.SamplesStored.Should().Be(45);
        h.Metrics.DeadLetters(DeadLetterReason.MalformedJson).Should().Be(1);
        h.Pipeline.Status.DeadLetters.Should().Be(3);
    }

    [Fact]
    public async Task A_fault_episode_gives_one_entered_and_one_cleared_alert_stored_before_it_is_published()
    {
        var h = new Harness();
        await using (h)
        {
            var t = T0;
            for (var i = 0; i < 10; i++) await h.SendAsync("S1", t = t.AddMinutes(1));
            for (var i = 0; i < 10; i++) await h.SendAsync("S1", t = t.AddMinutes(1), v: 200);
            for (var i = 0; i < 10; i++) await h.SendAsync("S1", t = t.AddMinutes(1));
            await h.Pipeline.StopAsync();
        }

        var kinds = h.Store.Alerts.Select(a => a.Kind).ToList();
        kinds.Should().Equal(AlertKind.FaultEntered, AlertKind.FaultCleared);
        h.Store.Alerts[0].Condition.Should().Be("PS7");
        h.Published.Snapshot().Select(a => a.Kind).Should().Equal(kinds);
        h.Metrics.Alerts(AlertKind.FaultEntered).Should().Be(1);
    }

    [Fact]
    public async Task Low_elbo_samples_are_flagged_as_anomalies_with_the_sensor_z_score()
    {
        var h = new Harness();
        await using (h)
        {
            await h.SendAsync("S1", T0, w: 30);
            await h.SendAsync("S1", T0.AddMinutes(1), w: 3);
            await h.Pipeline.StopAsync();
        }

        var rows = h.Store.Conditions.Values.OrderBy(c => c.Time).ToList();
        rows[0].Anomaly.Should().BeTrue();
        rows[0].Elbo.Should().Be(-27);
        rows[0].ReconstructionZ.ToArray()[5].Should().Be(27);
        rows[1].Anomaly.Should().BeFalse();
    }

    [Fact]
    public async Task An_anomaly_alert_names_the_sensor_that_looks_wrong()
    {
        var h = new Harness();
        await using (h)
        {
            for (var i = 0; i < 4; i++) await h.SendAsync("S1", T0.AddMinutes(i), w: 30);
            await h.Pipeline.StopAsync();
        }

        var opened = h.Store.Alerts.Should().ContainSingle(a => a.Kind == AlertKind.AnomalyOpened).Subject;
        opened.Sensors.Should().NotBeEmpty();
        opened.Sensors[0].Should().Be(new SensorScore("W", 27), "the fake model's W z-score is W − 3; the others are 0");
    }

    [Fact]
    public async Task A_sample_seen_again_after_it_was_stored_is_a_duplicate_dead_letter()
    {
        var h = new Harness();
        await using (h)
        {
            await h.SendAsync("S1", T0);
            await Eventually.TrueAsync(() => h.Pipeline.Status.SamplesStored == 1, because: "the first copy is stored");
            await h.SendAsync("S1", T0);
            await h.Pipeline.StopAsync();
        }

        h.Store.Telemetry.Should().HaveCount(1);
        h.Store.DeadLetters.Should().ContainSingle().Which.Reason.Should().Be(DeadLetterReason.Duplicate);
    }

    [Fact]
    public async Task A_failing_store_is_retried_until_the_batch_is_written()
    {
        var h = new Harness(new RecordingStore(failFirstWrites: 3));
        await using (h)
        {
            for (var i = 0; i < 20; i++) await h.SendAsync("S1", T0.AddMinutes(i));
            await h.Pipeline.StopAsync();
        }

        h.Store.FailedWrites.Should().Be(3);
        h.Store.Telemetry.Should().HaveCount(20);
        h.Pipeline.Status.StoreHealthy.Should().BeTrue();
    }

    [Fact]
    public async Task Store_retries_back_off_exponentially_and_report_the_store_unhealthy_until_a_write_succeeds()
    {
        var time = new DelayRecordingTimeProvider(T0);
        var h = new Harness(new RecordingStore(failFirstWrites: 4), time: time);
        await using (h)
        {
            await h.SendAsync("S1", T0);
            await Eventually.TrueAsync(() => h.Store.FailedWrites == 1, because: "the first write fails");
            h.Pipeline.Status.StoreHealthy.Should().BeFalse();
            h.Pipeline.Status.LastStoreError.Should().NotBeNullOrEmpty();
            // Move the fake clock until the fifth attempt has written the batch.
            await Eventually.TrueAsync(() => h.Store.Telemetry.Count == 1, time, TimeSpan.FromMilliseconds(5), because: "the batch is written after four failures");
            await h.Pipeline.StopAsync();
        }

        h.Store.FailedWrites.Should().Be(4);
        h.Pipeline.Status.StoreHealthy.Should().BeTrue();
        time.RequestedDelays.Where(d => d > TimeSpan.Zero).Should().StartWith(
            [TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40)],
            "Pipeline:StoreRetryDelayMs doubles on each failure");
    }

    [Fact]
    public async Task A_model_failure_dead_letters_the_batch_and_the_loop_goes_on()
    {
        var model = new FakeConditionModel(throwOnScore: true);
        var h = new Harness(model: model);
        await using (h)
        {
            await h.SendAsync("S1", T0);
            await Eventually.TrueAsync(() => h.Pipeline.Status.DeadLetters == 1, because: "the failed sample is dead-lettered");
            model.ThrowOnScore = false;
            await h.SendAsync("S1", T0.AddMinutes(1));
            await h.Pipeline.StopAsync();
        }

        h.Store.DeadLetters.Should().ContainSingle().Which.Reason.Should().Be(DeadLetterReason.ProcessingFailed);
        h.Store.Telemetry.Should().HaveCount(2);
        h.Store.Conditions.Should().ContainSingle();
    }

    [Fact]
    public async Task Stopping_drains_every_accepted_message_into_the_store()
    {
        var h = new Harness(options: new PipelineOptions { MaxBatchSize = 7, MaxBatchDelayMs = 50, BatchesInFlight = 2, MaxConcurrentWrites = 1, InputQueueCapacity = 10 });
        await using (h)
        {
            var senders = Enumerable.Range(0, 4).Select(s => Task.Run(async () =>
            {
                for (var i = 0; i < 250; i++) await h.SendAsync($"S{s}", T0.AddMinutes(i));
            }));
            await Task.WhenAll(senders);
            await h.Pipeline.StopAsync();
        }

        h.Store.Telemetry.Should().HaveCount(1000);
        h.Pipeline.Status.SamplesStored.Should().Be(1000);
        h.Pipeline.Status.Running.Should().BeFalse();
    }
}
