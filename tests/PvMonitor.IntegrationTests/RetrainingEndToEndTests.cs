using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MQTTnet;
using PvMonitor.Hosting;
using PvMonitor.IntegrationTests.Infrastructure;
using PvMonitor.Learning.Models;
using PvMonitor.Monitoring.Storage.Influx.Query;
using PvMonitor.Simulation.Live;
using PvMonitor.Testing;
using Xunit.Abstractions;

namespace PvMonitor.IntegrationTests;

/// <summary>
/// The relabel-and-retrain loop end to end: the real <c>pvmonitor run</c> with the shipped model against real mosquitto and
/// InfluxDB 1.x. Two simulated days in which one string degrades (DEGR, a condition the shipped model never saw) raise
/// anomaly episodes; an operator labels them through the API (bearer token) and retrains; on the next two days the new
/// condition must be recognised and the old ones kept. A mislabelled retraining must be rejected with the active model kept.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class RetrainingEndToEndTests(StackFixture stack, ITestOutputHelper output)
{
    private const string Token = "it-operator-token";
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Four strings: S2 partially shaded (PS50) 09:00–15:00 every day, S4 degraded (DEGR) from day 1 10:00 on.</summary>
    private static IReadOnlyList<ConditionEpisode> Episodes(int days) =>
    [
        .. Enumerable.Range(0, days).Select(d => new ConditionEpisode(1, Start.AddDays(d).AddHours(9), Start.AddDays(d).AddHours(15), "PS50")),
        new ConditionEpisode(3, Start.AddHours(10), Start.AddDays(days), "DEGR"),
    ];

    private async Task<WorkerProcess> StartWorkerAsync(string name, params string[] settings)
    {
        var port = ExternalProgram.FreeTcpPort();
        var data = Path.Combine(stack.Root, name);
        Directory.CreateDirectory(data);
        var args = new List<string> { "run" };
        foreach (var kv in new[]
                 {
                     "Mqtt:Host=127.0.0.1", $"Mqtt:Port={stack.Mqtt!.Port}", $"Mqtt:ClientId=it-{name}", $"Influx:Url={stack.Influx!.Url}", "Influx:Version=1",
                     $"Influx:Database={name}", $"Data:Path={data}", $"Api:Urls=http://127.0.0.1:{port}", "Api:Tokens:0:Name=operator-1",
                     $"Api:Tokens:0:Sha256={Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Token)))}", "Api:Tokens:0:Role=operator",
                     "Retrain:UnlabeledRows=2000", "Retrain:NewConditionDelay=00:00:00",
                 }.Concat(settings))
        {
            args.Add("--set");
            args.Add(kv);
        }

        var worker = await WorkerProcess.StartAsync(data, port, args);
        await worker.WaitForAsync("/readyz", TimeSpan.FromSeconds(60));
        return worker;
    }

    private async Task<(string Csv, int Rows)> ReplayAsync(string name, DateTimeOffset from, int days, InfluxQueryClient influx, string db, long alreadyStored)
    {
        var all = Path.Combine(stack.Root, name + "-all.csv");
        PlantData.Write(all, Start, days: (int)(from - Start).TotalDays + days, strings: 4, Episodes((int)(from - Start).TotalDays + days), minG: double.NegativeInfinity, seed: 5);
        // Only the rows from `from` on (the simulation starts at Start either way, so the weather and the faults match).
        var csv = Path.Combine(stack.Root, name + ".csv");
        var lines = File.ReadAllLines(all);
        var kept = lines.Skip(1).Where(l => DateTimeOffset.Parse(l[..l.IndexOf(',')], System.Globalization.CultureInfo.InvariantCulture) >= from).ToList();
        File.WriteAllLines(csv, [lines[0], .. kept]);
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", stack.Mqtt!.Port).WithClientId("it-pub-" + name).WithCleanSession(true)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311).Build());
        using (client)
        {
            (await TelemetryReplayer.ReplayAsync(client, new FileInfo(csv), "pv", "INV01", null, 500, null, CancellationToken.None)).Should().Be(kept.Count);
        }

        var expected = alreadyStored + kept.Count;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await influx.QueryScalarAsync(db, "SELECT COUNT(\"condition\") FROM pv_condition") < expected)
        {
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromMinutes(3), "every replayed row is scored and stored");
            await Task.Delay(250);
        }

        return (csv, kept.Count);
    }

    private static HttpClient Api(WorkerProcess worker)
    {
        var http = new HttpClient { BaseAddress = new Uri(worker.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    private static async Task<JsonElement> RetrainAsync(HttpClient http, string reason)
    {
        (await http.PostAsJsonAsync("/api/retrain", new { reason })).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var deadline = DateTime.UtcNow.AddMinutes(8);
        while (true)
        {
            var status = await http.GetFromJsonAsync<JsonElement>("/api/retrain");
            if (status.GetProperty("state").GetString() != "running") return status;
            DateTime.UtcNow.Should().BeBefore(deadline, "retraining ends: " + status);
            await Task.Delay(500);
        }
    }

    [RequiresExecutableFact("mosquitto", "influxd")]
    public async Task A_new_condition_labelled_through_the_api_is_recognised_after_retraining_and_the_old_ones_are_kept()
    {
        const string db = "retrain_e2e";
        using var influx = new InfluxQueryClient(stack.Influx!.Url);
        await influx.CreateDatabaseAsync(db);
        using var worker = await StartWorkerAsync(db);
        using var http = Api(worker);
        (await new HttpClient().GetAsync(worker.BaseUrl + "/api/labels")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        // Days 1–2: S4 degrades from 10:00 on day 1; the shipped model does not know DEGR and flags it.
        var (_, firstRows) = await ReplayAsync("learn", Start, 2, influx, db, 0);
        var anomalies = await http.GetFromJsonAsync<JsonElement>($"/api/anomalies?from={Uri.EscapeDataString(Start.ToString("O"))}&to={Uri.EscapeDataString(Start.AddDays(2).ToString("O"))}");
        var s4 = anomalies.EnumerateArray().Where(a => a.GetProperty("string").GetString() == "S4").ToList();
        s4.Should().NotBeEmpty("the degraded string raises anomaly episodes: " + anomalies);
        var parent = (await http.GetFromJsonAsync<JsonElement>("/api/models")).GetProperty("active").GetString()!;

        (await http.PostAsJsonAsync("/api/conditions", new { code = "DEGR", name = "Degradation", description = "Potential-induced degradation of several modules", severity = "fault" }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        (await http.PostAsJsonAsync("/api/labels", new { plant = PlantData.Plant, @string = "INV01/S4", from = Start.AddHours(10), to = Start.AddDays(2), condition = "DEGR", note = "site visit" }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var status = await RetrainAsync(http, "DEGR confirmed on site");
        output.WriteLine(string.Join("\n", status.GetProperty("log").EnumerateArray().Select(l => l.GetString())));
        status.GetProperty("state").GetString().Should().Be("accepted", status.GetProperty("outcome").GetString());
        var candidate = status.GetProperty("candidate").GetString()!;
        (await http.GetFromJsonAsync<JsonElement>("/api/models")).GetProperty("active").GetString().Should().Be(candidate);

        // Days 3–4, scored by the retrained model.
        var (csv, _) = await ReplayAsync("check", Start.AddDays(2), 2, influx, db, firstRows);
        var truth = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(','))
            .Where(f => double.Parse(f[5], System.Globalization.CultureInfo.InvariantCulture) >= 20)
            .ToDictionary(f => (DateTimeOffset.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture), f[2].Split('/')[^1]), f => f);
        var stored = await influx.QueryAsync(db, $"SELECT \"condition\", anomaly, model_version, \"string\" FROM pv_condition WHERE time >= '{Start.AddDays(2):O}' AND night = false");
        var rows = stored.SelectMany(s => s.Rows).Select(r => (Time: DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(r[0]!.ToString()!, System.Globalization.CultureInfo.InvariantCulture)), Condition: r[1]!.ToString()!,
            Anomaly: r[2] is true || r[2]?.ToString() == "True", Model: r[3]!.ToString()!, String: r[4]!.ToString()!)).ToList();
        rows.Should().OnlyContain(r => r.Model == candidate);
        var degr = rows.Where(r => truth.TryGetValue((r.Time, r.String), out var t) && t[^1] == "DEGR").ToList();
        var recall = degr.Count(r => r.Condition == "DEGR") / (double)degr.Count;
        var anomalyRate = degr.Count(r => r.Anomaly) / (double)degr.Count;
        var old = rows.Where(r => truth.TryGetValue((r.Time, r.String), out var t) && t[^1] != "DEGR").ToList();
        var accuracyAfter = old.Count(r => r.Condition == truth[(r.Time, r.String)][^1]) / (double)old.Count;

        // The active model before retraining, on the same rows.
        var parentModel = ModelDirectory.Load(Path.Combine(stack.Root, db, "models", parent));
        var oldRows = old.Select(r => truth[(r.Time, r.String)]).ToList();
        var features = parentModel.Features.Select(f => Array.IndexOf(["time", "plant", "string", "I", "V", "G", "TExt", "TMod", "W", "label"], f)).ToArray();
        var x = oldRows.SelectMany(f => features.Select(i => float.Parse(f[i], System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var probabilities = new float[oldRows.Count * parentModel.Classes.Count];
        parentModel.Score(x, oldRows.Count, probabilities, new float[oldRows.Count], default);
        var accuracyBefore = Enumerable.Range(0, oldRows.Count).Count(i =>
            parentModel.Classes[Enumerable.Range(0, parentModel.Classes.Count).MaxBy(c => probabilities[i * parentModel.Classes.Count + c])] == oldRows[i][^1]) / (double)oldRows.Count;

        output.WriteLine($"DEGR rows {degr.Count}: recall {recall:P1}, anomalous {anomalyRate:P1}; old-condition rows {old.Count}: accuracy {accuracyBefore:P1} → {accuracyAfter:P1}");
        recall.Should().BeGreaterThanOrEqualTo(0.8);
        anomalyRate.Should().BeLessThan(0.05);
        (accuracyBefore - accuracyAfter).Should().BeLessThanOrEqualTo(0.02);
        (await worker.StopAsync(TimeSpan.FromSeconds(60))).Should().Be(0, worker.Output);
    }

    [RequiresExecutableFact("mosquitto", "influxd")]
    public async Task A_retraining_that_would_break_the_known_conditions_is_rejected_and_the_active_model_stays()
    {
        const string db = "retrain_reject";
        using var influx = new InfluxQueryClient(stack.Influx!.Url);
        await influx.CreateDatabaseAsync(db);
        using var worker = await StartWorkerAsync(db);
        using var http = Api(worker);
        await ReplayAsync("reject", Start, 1, influx, db, 0);
        var active = (await http.GetFromJsonAsync<JsonElement>("/api/models")).GetProperty("active").GetString()!;

        // An operator mistakes healthy operation for a new condition: all of S1's day (normal) labelled "GLARE".
        (await http.PostAsJsonAsync("/api/conditions", new { code = "GLARE", name = "Glare", description = "mislabelled healthy operation", severity = "warning" }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        (await http.PostAsJsonAsync("/api/labels", new { plant = PlantData.Plant, @string = "INV01/S1", from = Start, to = Start.AddDays(1), condition = "GLARE" }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var status = await RetrainAsync(http, "glare");

        output.WriteLine(status.GetProperty("outcome").GetString());
        status.GetProperty("state").GetString().Should().Be("rejected");
        status.GetProperty("outcome").GetString().Should().Contain("FAILED");
        var models = await http.GetFromJsonAsync<JsonElement>("/api/models");
        models.GetProperty("active").GetString().Should().Be(active);
        models.GetProperty("versions").EnumerateArray().Should().Contain(v => v.GetProperty("gate").GetString() == "rejected");
        (await worker.StopAsync(TimeSpan.FromSeconds(60))).Should().Be(0, worker.Output);
    }
}
