using System.Diagnostics;
using System.Text.Json;
using PvMonitor.IntegrationTests.Infrastructure;
using PvMonitor.Testing;
using Xunit.Abstractions;

namespace PvMonitor.IntegrationTests;

/// <summary><c>pvmonitor demo</c> as a real process: the page and the APIs answer, and the page renders in headless Chromium.</summary>
[Collection(StackCollection.Name)]
public sealed class DemoTests(StackFixture stack, ITestOutputHelper output)
{
    private Task<WorkerProcess> StartDemoAsync(string dir) => WorkerProcess.StartDemoAsync(dir, stack.ModelPath);

    [Fact]
    public async Task The_demo_serves_the_operator_page_and_its_apis_and_stops_cleanly()
    {
        using var demo = await StartDemoAsync(Path.Combine(stack.Root, "demo"));
        using var http = new HttpClient { BaseAddress = new Uri(demo.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };

        (await http.GetStringAsync("/")).Should().Contain("<title>PvMonitor");
        (await http.GetStringAsync("/app.js")).Should().Contain("api/strings");
        (await http.GetStringAsync("/healthz")).Should().StartWith("ok");
        await demo.WaitForAsync("/readyz", TimeSpan.FromSeconds(30));

        JsonElement strings = default;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            strings = JsonDocument.Parse(await http.GetStringAsync("/api/strings")).RootElement;
            if (strings.GetArrayLength() == 4) break;
            await Task.Delay(200);
        }

        strings.GetArrayLength().Should().Be(4, demo.Output);
        strings[0].GetProperty("plant").GetString().Should().Be("demo");
        var first = strings[0];
        var history = JsonDocument.Parse(await http.GetStringAsync(
            $"/api/strings/demo/{first.GetProperty("inverter").GetString()}/{first.GetProperty("string").GetString()}/history?hours=2")).RootElement;
        history.GetProperty("telemetry").GetArrayLength().Should().BeGreaterThan(0);
        var scored = history.GetProperty("conditions").EnumerateArray().Where(c => !c.GetProperty("night").GetBoolean()).ToList();
        scored.Should().NotBeEmpty();
        scored.Should().AllSatisfy(c => c.GetProperty("z").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(["I", "V", "G", "TExt", "TMod", "W"],
            "the embedded store keeps every scored row's reconstruction z-scores and the API returns them per sensor"));
        var overview = JsonDocument.Parse(await http.GetStringAsync("/api/overview")).RootElement;
        overview.GetProperty("samplesStored").GetInt64().Should().BeGreaterThan(0);
        overview.GetProperty("model").GetProperty("classes").GetArrayLength().Should().Be(2);
        JsonDocument.Parse(await http.GetStringAsync("/api/alerts")).RootElement.ValueKind.Should().Be(JsonValueKind.Array);
        JsonDocument.Parse(await http.GetStringAsync("/api/deadletters")).RootElement.ValueKind.Should().Be(JsonValueKind.Array);
        var metrics = await http.GetStringAsync("/metrics");
        metrics.Should().Contain("pvmonitor_samples_stored_total").And.Contain("pvmonitor_scoring_latency_seconds_bucket");

        (await demo.StopAsync(TimeSpan.FromSeconds(60))).Should().Be(0, demo.Output);
        demo.Output.Should().Contain("Pipeline drained");
    }

    [RequiresExecutableFact("chromium")]
    public async Task The_operator_page_renders_string_cards_in_headless_chromium()
    {
        var dir = Path.Combine(stack.Root, "demo-browser");
        using var demo = await StartDemoAsync(dir);
        await demo.WaitForAsync("/readyz", TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri(demo.BaseUrl) };
        var clock = Stopwatch.StartNew();
        while (JsonDocument.Parse(await http.GetStringAsync("/api/strings")).RootElement.GetArrayLength() < 4 && clock.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(200);

        var html = await HeadlessChromium.DumpDomAsync(demo.BaseUrl + "/", Path.Combine(dir, "chromium-profile"));
        output.WriteLine(html.Length > 2000 ? html[..2000] : html);
        html.Should().Contain("class=\"card ").And.Contain("demo / INV01 / S1");
        html.Should().Contain("Normal (clear sky)", "cards show the condition's name from /api/conditions beside its code");
        html.Should().Contain(" UTC<", "times carry their time zone");
        html.Should().NotContain("loading…", "the placeholder is replaced once data arrived");
        html.Should().Contain("class=\"badge ok\"");
        html.Should().Contain("<rect");
        (await demo.StopAsync(TimeSpan.FromSeconds(60))).Should().Be(0, demo.Output);
    }
}
