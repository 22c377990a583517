using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PvMonitor.Hosting;
using PvMonitor.Monitoring.Pipeline;

namespace PvMonitor.Tests.Api;

/// <summary>The HTTP API of the running worker, hosted in-process with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public sealed class WorkerApiTests
{
    [Fact]
    public async Task Health_is_ok_and_readiness_reports_each_check_while_the_broker_is_unreachable()
    {
        using var factory = new WorkerFactory();
        using var client = factory.CreateClient();

        var health = await client.GetAsync("/healthz");
        health.StatusCode.Should().Be(HttpStatusCode.OK);
        (await health.Content.ReadAsStringAsync()).Should().Be("ok\n");

        var ready = await client.GetAsync("/readyz");
        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "no broker listens on port 9");
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("status").GetString().Should().Be("not ready");
        var checks = body.RootElement.GetProperty("checks");
        checks.GetProperty("source").GetProperty("ok").GetBoolean().Should().BeFalse();
        checks.GetProperty("source").GetProperty("detail").GetString().Should().StartWith("not connected");
        checks.GetProperty("store").GetProperty("ok").GetBoolean().Should().BeTrue();
        checks.GetProperty("store").GetProperty("detail").GetString().Should().StartWith("SQLite at ").And.Contain(factory.Data);
        checks.GetProperty("model").GetProperty("ok").GetBoolean().Should().BeTrue();
        checks.GetProperty("pipeline").GetProperty("detail").GetString().Should().Be("running");
    }

    [Fact]
    public async Task A_message_given_to_the_pipeline_is_scored_stored_and_served_by_the_operator_api()
    {
        using var factory = new WorkerFactory();
        using var client = factory.CreateClient();
        var pipeline = factory.Services.GetRequiredService<MonitoringPipeline>();
        var payload = Encoding.UTF8.GetBytes("""{"time":"2026-06-01T10:00:00Z","I":8.1,"V":610,"G":820,"TExt":21,"TMod":43,"W":2.5}""");
        await pipeline.Input.WriteAsync(new InboundMessage("pv/p1/inv1/s1/telemetry", payload));
        await pipeline.Input.WriteAsync(new InboundMessage("pv/p1/inv1/s1/telemetry", Encoding.UTF8.GetBytes("{not json")));

        JsonElement strings = default;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            strings = await client.GetFromJsonAsync<JsonElement>("/api/strings");
            if (strings.GetArrayLength() > 0) break;
            await Task.Delay(50);
        }

        strings.GetArrayLength().Should().Be(1);
        var row = strings[0];
        (row.GetProperty("plant").GetString(), row.GetProperty("inverter").GetString(), row.GetProperty("string").GetString()).Should().Be(("p1", "inv1", "s1"));
        row.GetProperty("condition").GetString().Should().NotBeNullOrEmpty();
        row.GetProperty("night").GetBoolean().Should().BeFalse();

        var overview = await client.GetFromJsonAsync<JsonElement>("/api/overview");
        overview.GetProperty("model").GetProperty("kind").GetString().Should().Be("sdgm");
        overview.GetProperty("store").GetString().Should().StartWith("SQLite at ");
        overview.GetProperty("messagesReceived").GetInt64().Should().Be(2);

        var deadLetters = await client.GetFromJsonAsync<JsonElement>("/api/deadletters");
        deadLetters.GetArrayLength().Should().Be(1);
        deadLetters[0].GetProperty("topic").GetString().Should().Be("pv/p1/inv1/s1/telemetry");

        var history = await client.GetAsync("/api/strings/p1/inv1/s1/history?hours=1");
        history.StatusCode.Should().Be(HttpStatusCode.OK);
        var missing = await client.GetAsync("/api/strings/p1/inv1/nope/history");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Contain("p1/inv1/nope");

        var metrics = await client.GetStringAsync("/metrics");
        metrics.Should().Contain("pvmonitor_dead_letters_total{reason=\"malformed_json\"}").And.Contain("pvmonitor_scoring_latency_seconds_bucket{le=\"0.0005\"}");
    }

    [Fact]
    public async Task Metrics_are_served_in_the_prometheus_text_format_under_the_documented_names()
    {
        using var factory = new WorkerFactory();
        using var client = factory.CreateClient();
        var pipeline = factory.Services.GetRequiredService<MonitoringPipeline>();
        await pipeline.Input.WriteAsync(new InboundMessage("pv/p1/inv1/s1/telemetry",
            Encoding.UTF8.GetBytes("""{"time":"2026-06-01T10:00:00Z","I":8.1,"V":610,"G":820,"TExt":21,"TMod":43,"W":2.5}""")));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (pipeline.Status.SamplesStored == 0 && DateTime.UtcNow < deadline) await Task.Delay(50);

        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        // The names of README "Metrics": counters with _total, units as suffixes, labels as tags, no scope labels.
        foreach (var counter in new[] { "messages_received", "samples_scored", "samples_night", "samples_stored", "dead_letters", "alerts" })
            text.Should().Contain($"# TYPE pvmonitor_{counter}_total counter\n");
        foreach (var histogram in new[] { "scoring_latency_seconds", "store_latency_seconds", "sample_age_at_store_seconds", "batch_size" })
            text.Should().Contain($"# TYPE pvmonitor_{histogram} histogram\n").And.Contain($"pvmonitor_{histogram}_count");
        text.Should().Contain("pvmonitor_batch_size_bucket{le=\"512\"}").And.Contain("pvmonitor_store_latency_seconds_bucket{le=\"2.5\"}");
        foreach (var kind in new[] { "fault_entered", "fault_cleared", "anomaly_opened", "anomaly_closed" })
            text.Should().Contain($"pvmonitor_alerts_total{{kind=\"{kind}\"}}");
        foreach (var queue in new[] { "input", "score", "store" })
            text.Should().Contain($"pvmonitor_queue_depth{{queue=\"{queue}\"}}");
        text.Should().Contain("# TYPE pvmonitor_spool_bytes gauge\n").And.NotContain("otel_scope_name").And.NotContain("target_info");
    }

    [Fact]
    public async Task With_influxdb_the_writers_instruments_are_served_on_the_same_endpoint()
    {
        using var factory = new WorkerFactory(("Influx:Url", "http://127.0.0.1:9"), ("Influx:Version", "1"));
        using var client = factory.CreateClient();

        var text = await client.GetStringAsync("/metrics");

        text.Should().Contain("# TYPE pvmonitor_influx_points_written_total counter\n").And.Contain("# TYPE pvmonitor_influx_spool_full gauge\n")
            .And.Contain("pvmonitor_influx_points_in_memory").And.Contain("pvmonitor_influx_spool_pending_points").And.Contain("pvmonitor_influx_spool_bytes")
            .And.Contain("pvmonitor_spool_bytes").And.Contain("pvmonitor_messages_received_total");
    }

    [Fact]
    public void An_invalid_setting_fails_validate_on_start_naming_the_key()
    {
        using var factory = new WorkerFactory(("Mqtt:Port", "70000"));
        var start = () => factory.CreateClient();
        start.Should().Throw<OptionsValidationException>().Which.Failures.Should().Contain(f => f.Contains("Mqtt:Port must be 1–65535"));
    }

    [Fact]
    public async Task A_string_whose_samples_the_model_finds_unlikely_is_reported_as_drifting()
    {
        using var factory = new WorkerFactory(("Drift:Window", "40"), ("Drift:MinSamples", "20"));
        using var client = factory.CreateClient();
        var pipeline = factory.Services.GetRequiredService<MonitoringPipeline>();
        var start = new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 30; i++)
        {
            var time = start.AddMinutes(i).ToString("O");
            // s1 looks like the shipped model's simulated plant (3.35 A, 212 V at 833 W/m², a row of its training data); s2 reports almost no current and voltage in full sun with a hot module: nothing the model was trained on.
            await pipeline.Input.WriteAsync(new InboundMessage("pv/p1/inv1/s1/telemetry", Encoding.UTF8.GetBytes($$"""{"time":"{{time}}","I":3.35,"V":212,"G":833,"TExt":15.4,"TMod":29.5,"W":4.7}""")));
            await pipeline.Input.WriteAsync(new InboundMessage("pv/p1/inv1/s2/telemetry", Encoding.UTF8.GetBytes($$"""{"time":"{{time}}","I":0.05,"V":12,"G":1000,"TExt":21,"TMod":80,"W":0.5}""")));
        }

        JsonElement drift = default;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            drift = await client.GetFromJsonAsync<JsonElement>("/api/drift");
            if (drift.GetProperty("strings").EnumerateArray().Sum(s => s.GetProperty("samples").GetInt32()) == 60) break;
            await Task.Delay(50);
        }

        var strings = drift.GetProperty("strings").EnumerateArray().ToList();
        strings.Select(s => (s.GetProperty("string").GetString(), s.GetProperty("drifting").GetBoolean())).Should().Equal(("s2", true), ("s1", false));
        strings[0].GetProperty("reason").GetString().Should().Contain("flagged anomalous");
        strings[0].GetProperty("flaggedRate").GetDouble().Should().Be(1.0);
        drift.GetProperty("reference").GetProperty("modelVersion").GetString().Should().Be(factory.Services.GetRequiredService<ModelHost>().Current.Manifest.Version);
        (await client.GetFromJsonAsync<JsonElement>("/api/overview")).GetProperty("driftingStrings").GetInt32().Should().Be(1);
        var status = await client.GetFromJsonAsync<JsonElement>("/api/status");
        status.GetProperty("drift").GetProperty("drifting").GetInt32().Should().Be(1);
        status.GetProperty("retraining").GetProperty("state").GetString().Should().Be("idle");
        (await client.GetStringAsync("/metrics")).Should().Contain("pvmonitor_drift_strings{} 1");
    }

    [Fact]
    public async Task The_host_itself_validates_on_start_before_its_services_start()
    {
        // Without the CLI's early check: StartAsync runs ValidateOnStart before any hosted service (and so before the model loads).
        await using var app = WorkerHost.Build(WorkerHost.CreateBuilder(WorkerMode.Daemon, null, ["Pipeline:BatchesInFlight=1", "Data:Path=" + Path.GetTempPath()]));
        var start = () => app.StartAsync();
        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().Contain(f => f.StartsWith("Pipeline:BatchesInFlight must be 2–1024"));
    }

    [Fact]
    public void A_misspelt_key_and_a_value_of_the_wrong_type_are_both_named()
    {
        using var factory = new WorkerFactory(("Mqtt:Hots", "broker"), ("Pipeline:MaxBatchSize", "many"));
        List<string> failures;
        try
        {
            factory.CreateClient();
            failures = [];
        }
        catch (AggregateException a)
        {
            failures = a.InnerExceptions.Should().AllBeOfType<OptionsValidationException>().Which.SelectMany(o => o.Failures).ToList();
        }

        failures.Should().Contain(f => f.Contains("unknown key Mqtt:Hots"));
        failures.Should().Contain(f => f.Contains("Pipeline:MaxBatchSize: 'many' is not an integer"));
    }
}
