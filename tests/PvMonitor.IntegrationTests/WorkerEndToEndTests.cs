using System.Text;
using System.Text.Json;
using PvMonitor.Hosting;
using PvMonitor.IntegrationTests.Infrastructure;
using PvMonitor.Monitoring.Alerts;
using MQTTnet;
using PvMonitor.Monitoring.Storage.Influx.Query;
using PvMonitor.Simulation.Live;
using PvMonitor.Testing;
using Xunit.Abstractions;

namespace PvMonitor.IntegrationTests;

/// <summary>
/// The real <c>pvmonitor run</c> process against real mosquitto and InfluxDB 1.x with a local webhook receiver: a replayed
/// day of 10 strings, a fault episode, malformed messages, and a kill -9 in the middle of a replay.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class WorkerEndToEndTests(StackFixture stack, ITestOutputHelper output)
{
    private const string Secret = "it-secret";

    private static readonly ConditionEpisode Fault = new(2, StackFixture.Day.AddHours(10), StackFixture.Day.AddHours(12), "IV");

    private async Task<(string Csv, int Rows, Dictionary<string, int> PerString)> DayAsync(string name)
    {
        var csv = Path.Combine(stack.Root, name + ".csv");
        var rows = PlantData.Write(csv, StackFixture.Day, days: 1, strings: 10, [Fault], minG: double.NegativeInfinity, seed: 11);
        var perString = (await File.ReadAllLinesAsync(csv)).Skip(1).GroupBy(l => l.Split(',')[2]).ToDictionary(g => g.Key, g => g.Count());
        return (csv, rows, perString);
    }

    private async Task<WorkerProcess> StartWorkerAsync(string database, string clientId, string dataDir, bool cleanSession, string? webhook)
    {
        var port = ExternalProgram.FreeTcpPort();
        var args = new List<string> { "run" };
        void Set(string kv) { args.Add("--set"); args.Add(kv); }
        Set("Mqtt:Host=127.0.0.1");
        Set($"Mqtt:Port={stack.Mqtt!.Port}");
        Set($"Mqtt:ClientId={clientId}");
        Set($"Mqtt:CleanSession={cleanSession}");
        Set($"Influx:Url={stack.Influx!.Url}");
        Set("Influx:Version=1");
        Set($"Influx:Database={database}");
        Set($"Model:Path={stack.ModelPath}");
        Set($"Data:Path={dataDir}");
        Set($"Api:Urls=http://127.0.0.1:{port}");
        Set("Ingest:NightIrradianceThreshold=50");
        Set("Alerts:GroupWindow=00:00:00");
        Set("Alerts:RepeatInterval=00:00:00");
        if (webhook is not null)
        {
            Set($"Alerts:Webhooks:0:Url={webhook}");
            Set($"Alerts:Webhooks:0:Secret={Secret}");
        }

        Directory.CreateDirectory(dataDir);
        var worker = await WorkerProcess.StartAsync(dataDir, port, args);
        await worker.WaitForAsync("/readyz", TimeSpan.FromSeconds(60));
        return worker;
    }

    private async Task<IMqttClient> PublisherAsync(string id)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", stack.Mqtt!.Port).WithClientId(id).WithCleanSession(true)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311).Build());
        return client;
    }

    private static async Task WaitForCountAsync(InfluxQueryClient influx, string db, string query, long expected, WorkerProcess? worker, TimeSpan timeout, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long last = -1;
        while (clock.Elapsed < timeout)
        {
            last = await influx.QueryScalarAsync(db, query);
            if (last >= expected) return;
            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"{what}: {last} of {expected} after {timeout.TotalSeconds:0} s.\n{worker?.Output}");
    }

    private static async Task<Dictionary<string, long>> CountPerStringAsync(InfluxQueryClient influx, string db, string measurement, string field)
    {
        var series = await influx.QueryAsync(db, $"SELECT COUNT(\"{field}\") FROM {measurement} GROUP BY \"inverter\", \"string\"");
        return series.ToDictionary(s => s.Tags!["inverter"] + "/" + s.Tags!["string"], s => Convert.ToInt64(s.Rows[0][^1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [RequiresExecutableFact("mosquitto", "influxd")]
    public async Task A_replayed_day_is_stored_classified_and_alerted_and_malformed_messages_are_dead_lettered()
    {
        var (csv, rows, perString) = await DayAsync("day-e2e");
        const string db = "e2e";
        using var influx = new InfluxQueryClient(stack.Influx!.Url);
        await influx.CreateDatabaseAsync(db);
        await using var hooks = new WebhookReceiver();
        using var worker = await StartWorkerAsync(db, "it-e2e", Path.Combine(stack.Root, "e2e"), cleanSession: true, hooks.Url());

        using (var publisher = await PublisherAsync("it-e2e-pub"))
        {
            var sent = await TelemetryReplayer.ReplayAsync(publisher, new FileInfo(csv), "pv", "inv1", null, 500, null, CancellationToken.None);
            sent.Should().Be(rows);
            var topic = $"pv/{PlantData.Plant}/INV02/S9/telemetry";
            await TelemetryReplayer.PublishAsync(publisher, topic, Encoding.UTF8.GetBytes("{not json"), CancellationToken.None);
            await TelemetryReplayer.PublishAsync(publisher, topic, Encoding.UTF8.GetBytes("""{"time":"2026-06-10T12:00:00Z","I":1,"V":500,"G":800,"TExt":20,"TMod":30}"""), CancellationToken.None);
            await TelemetryReplayer.PublishAsync(publisher, topic, Encoding.UTF8.GetBytes("""{"time":"2026-06-10T12:00:00Z","I":1,"V":-500,"G":800,"TExt":20,"TMod":30,"W":2}"""), CancellationToken.None);
        }

        await WaitForCountAsync(influx, db, "SELECT COUNT(\"I\") FROM pv_telemetry", rows, worker, TimeSpan.FromSeconds(120), "telemetry rows");
        await WaitForCountAsync(influx, db, "SELECT COUNT(\"condition\") FROM pv_condition", rows, worker, TimeSpan.FromSeconds(30), "condition rows");
        await WaitForCountAsync(influx, db, "SELECT COUNT(\"topic\") FROM pv_deadletter", 3, worker, TimeSpan.FromSeconds(30), "dead letters");

        (await CountPerStringAsync(influx, db, "pv_telemetry", "I")).Should().BeEquivalentTo(perString.ToDictionary(p => p.Key, p => (long)p.Value));
        (await CountPerStringAsync(influx, db, "pv_condition", "condition")).Should().BeEquivalentTo(perString.ToDictionary(p => p.Key, p => (long)p.Value));
        (await influx.QueryScalarAsync(db, "SELECT COUNT(\"condition\") FROM pv_condition WHERE night = true")).Should().BeGreaterThan(0);
        var reasons = (await influx.QueryAsync(db, "SELECT COUNT(\"topic\") FROM pv_deadletter GROUP BY \"reason\"")).Select(s => s.Tags!["reason"]).ToList();
        reasons.Should().BeEquivalentTo(["malformed_json", "missing_field", "out_of_range"]);

        // The fault episode on INV01/S3: exactly one entered and one cleared webhook, signed.
        var sample = await influx.QueryAsync(db, "SELECT \"condition\", confidence, elbo, anomaly FROM pv_condition WHERE \"inverter\" = 'INV01' AND \"string\" = 'S3' AND time >= '2026-06-10T09:55:00Z' AND time < '2026-06-10T10:05:00Z'");
        var diagnostics = string.Join("\n", sample.SelectMany(s => s.Rows).Select(r => string.Join(" ", r))) +
            $"\nalerts stored: {await influx.QueryScalarAsync(db, "SELECT COUNT(\"strings\") FROM pv_alert")}, webhooks received: {hooks.Requests.Count}";
        output.WriteLine(diagnostics);
        await Eventually.TrueAsync(() => FaultHooks(hooks, "S3").Count >= 2, timeout: TimeSpan.FromSeconds(30), because: "two fault webhooks for S3 arrived\n" + diagnostics + "\n" + worker.Output);
        await Task.Delay(500);
        var s3 = FaultHooks(hooks, "S3");
        foreach (var h in hooks.Requests)
            WebhookSignature.Verify(Secret, h.Body, h.Headers[WebhookSignature.HeaderName]).Should().BeTrue();
        s3.Select(h => h.Kind).Should().Equal("fault_entered", "fault_cleared");
        s3[0].Condition.Should().Be("IV");
        s3[0].From.Should().BeOnOrAfter(Fault.From.AddMinutes(-1)).And.BeBefore(Fault.From.AddMinutes(10));
        s3[1].To.Should().BeOnOrAfter(Fault.To.AddMinutes(-1)).And.BeBefore(Fault.To.AddMinutes(10));
        var others = hooks.Requests.Select(Parse).Where(h => h.Kind.StartsWith("fault", StringComparison.Ordinal) && !(h.Inverter == "INV01" && h.String == "S3")).ToList();
        output.WriteLine($"{rows} rows; webhooks: {hooks.Requests.Count}; fault webhooks on other strings: {others.Count}");
        (await influx.QueryScalarAsync(db, "SELECT COUNT(\"strings\") FROM pv_alert WHERE \"kind\" = 'fault_entered' AND strings = 'S3' AND \"inverter\" = 'INV01'")).Should().Be(1);

        (await worker.StopAsync(TimeSpan.FromSeconds(60))).Should().Be(0, worker.Output);
    }

    [RequiresExecutableFact("mosquitto", "influxd")]
    public async Task A_worker_killed_mid_replay_and_restarted_loses_and_duplicates_nothing()
    {
        var (csv, rows, perString) = await DayAsync("day-kill");
        const string db = "kill";
        using var influx = new InfluxQueryClient(stack.Influx!.Url);
        await influx.CreateDatabaseAsync(db);
        var dataDir = Path.Combine(stack.Root, "kill");
        var worker = await StartWorkerAsync(db, "it-kill", dataDir, cleanSession: false, webhook: null);
        try
        {
            using var publisher = await PublisherAsync("it-kill-pub");
            var replay = TelemetryReplayer.ReplayAsync(publisher, new FileInfo(csv), "pv", "inv1", 3000, 500, null, CancellationToken.None);
            await WaitForCountAsync(influx, db, "SELECT COUNT(\"I\") FROM pv_telemetry", rows / 4, worker, TimeSpan.FromSeconds(60), "first quarter stored");
            worker.Kill();
            var atKill = await influx.QueryScalarAsync(db, "SELECT COUNT(\"I\") FROM pv_telemetry");
            output.WriteLine($"killed pid {worker.Pid} with {atKill} of {rows} rows stored");
            atKill.Should().BeLessThan(rows);
            worker.Dispose();

            worker = await StartWorkerAsync(db, "it-kill", dataDir, cleanSession: false, webhook: null);
            (await replay).Should().Be(rows);
            await WaitForCountAsync(influx, db, "SELECT COUNT(\"I\") FROM pv_telemetry", rows, worker, TimeSpan.FromSeconds(120), "every row after the restart");
            await WaitForCountAsync(influx, db, "SELECT COUNT(\"condition\") FROM pv_condition", rows, worker, TimeSpan.FromSeconds(30), "every condition after the restart");
            (await worker.StopAsync(TimeSpan.FromSeconds(60))).Should().Be(0, worker.Output);

            // Each (string, time) exactly once: per-string counts equal the CSV's (an overwrite cannot add rows, a loss would remove one).
            (await CountPerStringAsync(influx, db, "pv_telemetry", "I")).Should().BeEquivalentTo(perString.ToDictionary(p => p.Key, p => (long)p.Value));
            (await CountPerStringAsync(influx, db, "pv_condition", "condition")).Should().BeEquivalentTo(perString.ToDictionary(p => p.Key, p => (long)p.Value));
            (await influx.QueryScalarAsync(db, "SELECT COUNT(\"topic\") FROM pv_deadletter WHERE reason <> 'duplicate'")).Should().Be(0);
        }
        finally
        {
            worker.Dispose();
        }
    }

    private sealed record Hook(string Kind, string Inverter, string String, string? Condition, DateTimeOffset From, DateTimeOffset? To);

    private static Hook Parse(WebhookReceiver.Received r)
    {
        using var doc = JsonDocument.Parse(r.Body);
        var root = doc.RootElement;
        return new Hook(root.GetProperty("kind").GetString()!, root.GetProperty("inverter").GetString()!, root.GetProperty("string").GetString()!, root.GetProperty("condition").GetString(),
            root.GetProperty("from").GetDateTimeOffset(), root.GetProperty("to").ValueKind == JsonValueKind.Null ? null : root.GetProperty("to").GetDateTimeOffset());
    }

    private static List<Hook> FaultHooks(WebhookReceiver hooks, string str) =>
        hooks.Requests.Select(Parse).Where(h => h.Inverter == "INV01" && h.String == str && h.Kind.StartsWith("fault", StringComparison.Ordinal)).OrderBy(h => h.Kind == "fault_cleared").ToList();
}
