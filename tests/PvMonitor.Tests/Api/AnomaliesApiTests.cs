using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Hosting;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Tests.Api;

/// <summary>Anomaly episodes and raw telemetry through the API, from what the store holds.</summary>
public sealed class AnomaliesApiTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private static async Task SeedAsync(WorkerFactory factory)
    {
        var batch = new ResultBatch();
        foreach (var inverter in new[] { "INV1", "INV2" })
            for (var m = 0; m < 5; m++)
                batch.Telemetry.Add(new TelemetryRecord(new StringKey("p1", inverter, "S3"), new TelemetrySample(T0.AddMinutes(m), 8 + m, 600, 800, 20, 40, 3)));
        batch.Conditions.Add(new ConditionRecord(new StringKey("p1", "INV1", "S3"), T0.AddMinutes(4), "v1", "N", 0.9, ["N"], new double[] { 0.9 }, -50, true, false));
        batch.Conditions.Add(new ConditionRecord(new StringKey("p1", "INV2", "S3"), T0.AddMinutes(4), "v1", "N", 0.9, ["N"], new double[] { 0.9 }, -5, false, false));
        batch.Alerts.Add(new AlertEvent("p1", "INV1", ["S3"], AlertKind.AnomalyOpened, false, "N", 0.9, -50, T0.AddMinutes(1), null, T0.AddMinutes(3), "v1", "")
        {
            Sensors = [new SensorScore("V", -8)],
        });
        await factory.Services.GetRequiredService<ResultStorage>().Store.WriteAsync(batch);
    }

    [Fact]
    public async Task Stored_anomaly_alerts_become_episodes_whose_status_follows_the_labels()
    {
        using var factory = new WorkerFactory();
        using var client = factory.CreateClient();
        await SeedAsync(factory);

        var episodes = await client.GetFromJsonAsync<JsonElement>("/api/anomalies");
        var episode = episodes.EnumerateArray().Should().ContainSingle().Subject;
        (episode.GetProperty("inverter").GetString(), episode.GetProperty("string").GetString(), episode.GetProperty("status").GetString()).Should().Be(("INV1", "S3", "open"));
        episode.GetProperty("minElbo").GetDouble().Should().Be(-50);
        episode.GetProperty("sensors")[0].GetProperty("sensor").GetString().Should().Be("V");
        episode.GetProperty("to").ValueKind.Should().Be(JsonValueKind.Null, "it has not closed");

        (await client.PostAsJsonAsync("/api/labels", new { plant = "p1", @string = "INV1/S3", from = T0, to = T0.AddHours(1), condition = "PS50", note = "" }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var labeled = (await client.GetFromJsonAsync<JsonElement>("/api/anomalies?status=labeled")).EnumerateArray().Should().ContainSingle().Subject;
        labeled.GetProperty("labelCondition").GetString().Should().Be("PS50");
        (await client.GetFromJsonAsync<JsonElement>("/api/anomalies?status=open")).GetArrayLength().Should().Be(0);
        var bad = await client.GetAsync("/api/anomalies?status=maybe");
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("status", out _).Should().BeTrue();
    }

    [Fact]
    public async Task Telemetry_of_one_string_is_served_and_an_ambiguous_string_asks_for_the_inverter()
    {
        using var factory = new WorkerFactory();
        using var client = factory.CreateClient();
        await SeedAsync(factory);
        var range = $"from={Uri.EscapeDataString(T0.ToString("O"))}&to={Uri.EscapeDataString(T0.AddMinutes(3).ToString("O"))}";

        var ambiguous = await client.GetAsync($"/api/telemetry?plant=p1&string=S3&{range}");
        ambiguous.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ambiguous.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("inverter")[0].GetString().Should().Contain("INV1, INV2");

        var rows = await client.GetFromJsonAsync<JsonElement>($"/api/telemetry?plant=p1&inverter=INV2&string=S3&{range}");
        rows.EnumerateArray().Select(r => r.GetProperty("i").GetDouble()).Should().Equal(8, 9, 10);

        var missing = await client.GetAsync("/api/telemetry?plant=p1&string=S3");
        (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(["from", "to"]);
    }

    [Fact]
    public async Task Alerts_are_served_as_the_webhook_bodies_and_a_bad_history_window_is_a_problem_naming_hours()
    {
        using var factory = new WorkerFactory();
        using var client = factory.CreateClient();
        await SeedAsync(factory);

        var alerts = await client.GetFromJsonAsync<JsonElement>("/api/alerts");
        var alert = alerts.EnumerateArray().Should().ContainSingle().Subject;
        alert.EnumerateObject().Select(p => p.Name).Should().Equal("kind", "repeat", "plant", "inverter", "string", "strings", "condition", "confidence", "elbo",
            "sensors", "from", "to", "time", "model_version", "link");
        (alert.GetProperty("kind").GetString(), alert.GetProperty("string").GetString(), alert.GetProperty("model_version").GetString())
            .Should().Be(("anomaly_opened", "S3", "v1"));

        foreach (var hours in new[] { "-5", "0", "400" })
        {
            var response = await client.GetAsync($"/api/strings/p1/INV1/S3/history?hours={hours}");
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, hours);
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("hours")[0].GetString().Should().Contain("336");
        }

        var text = await client.GetAsync("/api/strings/p1/INV1/S3/history?hours=abc");
        text.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        text.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await client.GetAsync("/api/strings/p1/INV1/S3/history?hours=2")).StatusCode.Should().Be(HttpStatusCode.OK);

        // An alert link's window starts an hour before the alert's 'from' (context) and lasts 'hours'.
        var from = Uri.EscapeDataString(T0.AddHours(1).AddMinutes(1).ToString("O"));
        var window = await client.GetFromJsonAsync<JsonElement>($"/api/strings/p1/INV1/S3/history?hours=0.05&from={from}");
        window.GetProperty("telemetry").EnumerateArray().Select(t => t.GetProperty("i").GetDouble()).Should().Equal(9, 10, 11);
    }
}
