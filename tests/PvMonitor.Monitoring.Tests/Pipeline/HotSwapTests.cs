using System.Globalization;
using System.Text;
using PvMonitor.Domain.Conditions;
using PvMonitor.Learning.Models;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Metrics;
using PvMonitor.Monitoring.Pipeline;
using PvMonitor.Monitoring.Scoring;

namespace PvMonitor.Monitoring.Tests.Pipeline;

public class HotSwapTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A retrained model that knows a third class, <c>SOIL</c>: every scored row is SOIL with p = 0.8.</summary>
    private sealed class ThreeClassModel : IConditionModel
    {
        public ModelManifest Manifest { get; } = new()
        {
            Kind = "fake",
            Version = "fake-2",
            Created = T0,
            Features = ["I", "V", "G", "TExt", "TMod", "W"],
            Normalisation = new NormalisationInfo([0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]),
            Classes = ["N", "PS7", "SOIL"],
            Hyperparameters = new Dictionary<string, double>(),
            Seed = 1,
            TrainingDataHash = "none",
            Metrics = new Dictionary<string, double>(),
            Threshold = new AnomalyThreshold(-10, 0.5),
        };

        public IReadOnlyList<string> Features => Manifest.Features;

        public IReadOnlyList<string> Classes => Manifest.Classes;

        public bool HasElbo => true;

        public void Score(ReadOnlySpan<float> features, int rows, Span<float> probabilities, Span<float> elbo, Span<float> reconstructionZ)
        {
            for (var r = 0; r < rows; r++)
            {
                probabilities[r * 3] = 0.1f;
                probabilities[r * 3 + 1] = 0.1f;
                probabilities[r * 3 + 2] = 0.8f;
                elbo[r] = -1;
                reconstructionZ.Slice(r * 6, 6).Clear();
            }
        }
    }

    [Fact]
    public async Task Swapping_the_model_mid_stream_stores_every_message_once_and_later_rows_carry_the_new_classes()
    {
        var store = new RecordingStore();
        var ingest = new IngestOptions();
        var alerts = new AlertsOptions { GroupWindow = TimeSpan.Zero, RepeatInterval = TimeSpan.Zero };
        using var metrics = new MonitoringMetrics();
        await using var pipeline = new MonitoringPipeline(
            new PipelineOptions { MaxBatchSize = 16, MaxBatchDelayMs = 5, BatchesInFlight = 3, MaxConcurrentWrites = 2, StoreRetryDelayMs = 5 },
            new TelemetryPayloadParser(ingest), new DuplicateFilter(ingest), new ConditionScorer(new FakeConditionModel()),
            new AlertEngine(alerts, new ConditionCatalog()), alerts.GroupWindow, store, null, metrics);
        pipeline.Start();

        const int messages = 400;
        var swapped = new ConditionScorer(new ThreeClassModel());
        var storedBeforeSwap = 0;
        for (var i = 0; i < messages; i++)
        {
            if (i == messages / 2)
            {
                await PvMonitor.Testing.Eventually.TrueAsync(() => store.Conditions.Count >= 50, because: "the old model scores the first batches");
                storedBeforeSwap = store.Conditions.Count;
                pipeline.SwapScorer(swapped);
            }

            var time = T0.AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var payload = $$"""{"time":"{{time}}","I":8,"V":600,"G":800,"TExt":20,"TMod":40,"W":3}""";
            await pipeline.Input.WriteAsync(new InboundMessage($"pv/p1/inv1/s{i % 4}/telemetry", Encoding.UTF8.GetBytes(payload)));
        }

        await pipeline.StopAsync();

        store.Telemetry.Should().HaveCount(messages);
        store.Conditions.Should().HaveCount(messages, "every message is scored exactly once");
        var ordered = store.Conditions.Values.OrderBy(c => c.Time).ToList();
        ordered.Take(storedBeforeSwap).Should().OnlyContain(c => c.ModelVersion == "fake-1" && c.Probabilities.Length == 2);
        ordered.Skip(messages / 2).Should().OnlyContain(c => c.ModelVersion == "fake-2", "messages sent after the swap are scored by the new model");
        ordered.SkipWhile(c => c.ModelVersion == "fake-1").Should().OnlyContain(c => c.ModelVersion == "fake-2" && c.Condition == "SOIL" && c.Probabilities.Length == 3,
            "once swapped, every later batch uses the new model and its class set (messages queued at the swap may go either way)");
        pipeline.Status.ModelVersion.Should().Be("fake-2");
    }
}
