using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PvMonitor.Hosting;
using PvMonitor.Learning.Models;
using PvMonitor.Monitoring.Operations;
using PvMonitor.Monitoring.Pipeline;
using PvMonitor.Monitoring.Storage;
using PvMonitor.Simulation.Live;
using PvMonitor.Simulation.Weather;

namespace PvMonitor.Tests.Api;

/// <summary>
/// The relabel-and-retrain loop over HTTP on the real host: two simulated days with DEGR (a condition the shipped model never
/// saw) on one string are stored, labelled through the API and retrained on; the candidate is registered with the gate's
/// decision and activated only when accepted. Few epochs: this checks the loop, not the model's quality.
/// </summary>
public sealed class RetrainApiTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static WorkerFactory Factory(params (string Key, string Value)[] more) =>
        new([("Retrain:Epochs", "4"), ("Retrain:UnlabeledRows", "3000"), ("Retrain:UnlabeledHistory", "30.00:00:00"), .. more]);

    private static async Task SeedTwoDaysAsync(WorkerFactory factory)
    {
        var plant = new LivePlant(new LivePlantOptions
        {
            Plant = "p1",
            Strings = 4,
            StringsPerInverter = 4,
            Seed = 7,
            Start = Start,
            Sky = SkyRegime.Clear,
            Episodes = [new ConditionEpisode(3, Start, Start.AddDays(2), "DEGR")],
        });
        var store = factory.Services.GetRequiredService<ResultStorage>().Store;
        var batch = new ResultBatch();
        for (var minute = 0; minute < 2 * 24 * 60; minute++)
        {
            foreach (var reading in plant.Step()) batch.Telemetry.Add(new TelemetryRecord(reading.Key, reading.Sample));
            if (batch.Telemetry.Count >= 4000)
            {
                await store.WriteAsync(batch);
                batch.Clear();
            }
        }

        await store.WriteAsync(batch);
        // The latest-state list the retraining enumerates strings from is built from condition rows.
        var latest = new ResultBatch();
        foreach (var key in plant.Strings) latest.Conditions.Add(ConditionRecord.ForNight(key, Start.AddDays(2), "seed"));
        await store.WriteAsync(latest);
    }

    private static async Task<JsonElement> WaitUntilDoneAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            var status = await client.GetFromJsonAsync<JsonElement>("/api/retrain");
            if (status.GetProperty("state").GetString() != "running" || DateTime.UtcNow > deadline) return status;
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Labelling_a_new_condition_and_retraining_registers_a_candidate_with_the_gates_decision()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        await SeedTwoDaysAsync(factory);
        var parent = factory.Services.GetRequiredService<ModelHost>().Current.Manifest.Version;
        var parentModel = factory.Services.GetRequiredService<ModelHost>().Current;
        (await client.PostAsJsonAsync("/api/conditions", new { code = "DEGR", name = "Degradation", description = "PID on three modules", severity = "fault" }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var key = (await factory.Services.GetRequiredService<IResultReader>().GetLatestAsync()).Select(s => s.Key).OrderBy(k => k.String).Last();
        (await client.PostAsJsonAsync("/api/labels", new { plant = key.Plant, @string = key.String, from = Start, to = Start.AddDays(2), condition = "DEGR", note = "site visit" }))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        var started = await client.PostAsJsonAsync("/api/retrain", new { reason = "DEGR seen on site" });
        started.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await client.PostAsJsonAsync("/api/retrain", new { reason = "again" })).StatusCode.Should().Be(HttpStatusCode.Conflict, "one retraining at a time");

        var status = await WaitUntilDoneAsync(client);
        var state = status.GetProperty("state").GetString();
        state.Should().BeOneOf(["accepted", "rejected"], status.ToString());
        var outcome = status.GetProperty("outcome").GetString();
        outcome.Should().Contain("recall of new condition DEGR");
        status.GetProperty("log").EnumerateArray().Select(l => l.GetString()).Should().Contain(l => l!.Contains("labelled by operators") && l.Contains("20000 from the active model's training snapshot"));

        var candidate = status.GetProperty("candidate").GetString()!;
        var entry = factory.Services.GetRequiredService<ModelRegistry>().Find(candidate)!;
        (entry.Record.Origin, entry.Record.Parent, entry.Record.Gate, entry.Record.Reason).Should().Be(("retrained", parent, state, outcome));
        entry.Manifest.Classes.Should().Contain("DEGR").And.Contain(parentModel.Manifest.Classes, "the snapshot replays every condition the active model knows");
        outcome.Should().Contain("accuracy on known conditions").And.NotContain("no longer knows");

        // The validation report: a confusion matrix over the held-out rows of the candidate's classes, kept in the registry and served.
        var report = entry.Record.Validation!;
        report.Classes.Should().Equal(entry.Manifest.Classes);
        report.Confusion.Sum(row => row.Sum()).Should().Be(report.HoldoutRows);
        var degr = entry.Manifest.Classes.ToList().IndexOf("DEGR");
        (report.Confusion[degr][degr] / (double)report.Confusion[degr].Sum()).Should().Be(report.Metrics["recall_DEGR"], "the matrix's DEGR row gives the gate's recall");
        var served = await client.GetFromJsonAsync<JsonElement>($"/api/models/{candidate}");
        served.GetProperty("validation").GetProperty("confusion").GetArrayLength().Should().Be(entry.Manifest.Classes.Count);

        // The candidate keeps its own snapshot (old conditions and the new one) for the next retraining, and its latent map shows them.
        var snapshot = ModelDirectory.ReadSnapshot(entry.Path, entry.Manifest)!;
        snapshot.DistinctLabels().Should().BeEquivalentTo(entry.Manifest.Classes);
        var map = await client.GetFromJsonAsync<JsonElement>($"/api/models/{candidate}/latent?rows=600");
        map.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("label").GetString()).Distinct().Should().BeEquivalentTo(entry.Manifest.Classes);

        var scoring = factory.Services.GetRequiredService<MonitoringPipeline>().Scorer.ModelVersion;
        scoring.Should().Be(state == "accepted" ? candidate : parent, "only an accepted candidate is activated");

        var audit = await client.GetFromJsonAsync<JsonElement>("/api/audit");
        audit.EnumerateArray().Select(a => a.GetProperty("action").GetString()).Should().Contain(["retrain.start", "retrain." + state]);
    }

    [Fact]
    public async Task Retraining_without_labels_fails_with_a_clear_reason_and_cancel_without_a_run_is_a_conflict()
    {
        using var factory = Factory();
        using var client = factory.CreateClient();
        (await client.DeleteAsync("/api/retrain")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.GetFromJsonAsync<JsonElement>("/api/retrain")).GetProperty("state").GetString().Should().Be("idle");

        (await client.PostAsJsonAsync("/api/retrain", new { reason = "nothing labelled" })).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var status = await WaitUntilDoneAsync(client);
        status.GetProperty("state").GetString().Should().Be("failed");
        status.GetProperty("outcome").GetString().Should().Contain("label anomalous periods first");
    }

    [Fact]
    public async Task A_label_of_a_new_condition_starts_a_retraining_by_itself_after_the_delay()
    {
        using var factory = Factory(("Retrain:NewConditionDelay", "00:00:01"));
        using var client = factory.CreateClient();
        await SeedTwoDaysAsync(factory);
        var key = (await factory.Services.GetRequiredService<IResultReader>().GetLatestAsync()).Select(s => s.Key).OrderBy(k => k.String).Last();
        (await client.PostAsJsonAsync("/api/conditions", new { code = "DEGR", name = "Degradation", description = "PID", severity = "fault" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/labels", new { plant = key.Plant, @string = key.String, from = Start, to = Start.AddDays(2), condition = "DEGR" })).EnsureSuccessStatusCode();

        var run = await WaitForRunAsync(client, started: null);
        (run.GetProperty("reason").GetString(), run.GetProperty("requestedBy").GetString()).Should().Be(("new condition DEGR labelled", "scheduler"));
        (await WaitUntilDoneAsync(client)).GetProperty("state").GetString().Should().BeOneOf("accepted", "rejected");
        var audit = await client.GetFromJsonAsync<JsonElement>("/api/audit");
        audit.EnumerateArray().Should().Contain(a => a.GetProperty("action").GetString() == "retrain.start" && a.GetProperty("actor").GetString() == "scheduler");
    }

    [Fact]
    public async Task Each_further_label_of_a_new_condition_restarts_the_wait()
    {
        using var factory = Factory(("Retrain:NewConditionDelay", "00:00:05"));
        using var client = factory.CreateClient();
        await SeedTwoDaysAsync(factory);
        var key = (await factory.Services.GetRequiredService<IResultReader>().GetLatestAsync()).Select(s => s.Key).OrderBy(k => k.String).Last();
        (await client.PostAsJsonAsync("/api/conditions", new { code = "DEGR", name = "Degradation", description = "PID", severity = "fault" })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/labels", new { plant = key.Plant, @string = key.String, from = Start, to = Start.AddDays(1), condition = "DEGR" })).EnsureSuccessStatusCode();
        await Task.Delay(1500);
        (await client.GetFromJsonAsync<JsonElement>("/api/retrain")).GetProperty("state").GetString().Should().Be("idle", "the 5 s wait has not passed");

        var second = DateTimeOffset.UtcNow;
        (await client.PostAsJsonAsync("/api/labels", new { plant = key.Plant, @string = key.String, from = Start.AddDays(1), to = Start.AddDays(2), condition = "DEGR" })).EnsureSuccessStatusCode();
        var run = await WaitForRunAsync(client, started: null);

        run.GetProperty("started").GetDateTimeOffset().Should().BeOnOrAfter(second.AddSeconds(5), "the second label restarted the 5 s wait");
        await WaitUntilDoneAsync(client);
    }

    [Fact]
    public async Task The_schedule_retrains_when_labels_changed_and_not_again_on_the_same_labels()
    {
        using var factory = Factory(("Retrain:Schedule", "*/1 * * * * *"), ("Retrain:NewConditionDelay", "00:00:00"));
        using var client = factory.CreateClient();
        await Task.Delay(1500);
        (await client.GetFromJsonAsync<JsonElement>("/api/retrain")).GetProperty("state").GetString().Should().Be("idle", "no labels, nothing to retrain on");
        await SeedTwoDaysAsync(factory);
        var key = (await factory.Services.GetRequiredService<IResultReader>().GetLatestAsync()).Select(s => s.Key).OrderBy(k => k.String).Last();
        (await client.PostAsJsonAsync("/api/labels", new { plant = key.Plant, @string = key.String, from = Start, to = Start.AddDays(2), condition = "N" })).EnsureSuccessStatusCode();

        var run = await WaitForRunAsync(client, started: null);
        (run.GetProperty("reason").GetString(), run.GetProperty("requestedBy").GetString()).Should().Be(("scheduled (*/1 * * * * *)", "scheduler"));
        await WaitUntilDoneAsync(client);

        // The schedule keeps firing every second, but a version was trained on exactly these labels: nothing starts.
        await Task.Delay(2500);
        (await client.GetFromJsonAsync<JsonElement>("/api/retrain")).GetProperty("started").GetDateTimeOffset().Should().Be(run.GetProperty("started").GetDateTimeOffset());
    }

    /// <summary>Waits until a retraining other than the one started at <paramref name="started"/> has begun; returns its status.</summary>
    private static async Task<JsonElement> WaitForRunAsync(HttpClient client, DateTimeOffset? started)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = await client.GetFromJsonAsync<JsonElement>("/api/retrain");
            if (status.TryGetProperty("started", out var s) && s.ValueKind == JsonValueKind.String && s.GetDateTimeOffset() != started) return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("No retraining started: " + status);
            await Task.Delay(100);
        }
    }
}
