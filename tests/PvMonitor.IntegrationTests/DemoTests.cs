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
    public async Task The_operator_page_renders_string_cards_in_headless_chromium_and_its_screenshot_shows_them_in_their_state_colours()
    {
        var dir = Path.Combine(stack.Root, "demo-browser");
        using var demo = await StartDemoAsync(dir);
        await demo.WaitForAsync("/readyz", TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri(demo.BaseUrl) };
        var clock = Stopwatch.StartNew();
        while (JsonDocument.Parse(await http.GetStringAsync("/api/strings")).RootElement.GetArrayLength() < 4 && clock.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(200);

        await using var page = await HeadlessChromium.OpenAsync(demo.BaseUrl + "/", Path.Combine(dir, "chromium-profile"));
        await page.WaitForAsync("document.querySelectorAll('#strings .card').length === 4 && !document.body.innerText.includes('loading…') " +
                                "&& document.getElementById('strings').innerText.includes('Normal (clear sky)') && document.querySelector('#history rect')", TimeSpan.FromSeconds(30),
            "the four string cards with condition names and the selected string's chart replace the loading placeholders");
        var html = (await page.EvaluateAsync("document.documentElement.outerHTML")).GetString()!;
        output.WriteLine(html.Length > 2000 ? html[..2000] : html);
        html.Should().Contain("class=\"card ").And.Contain("demo / INV01 / S1");
        html.Should().Contain("Normal (clear sky)", "cards show the condition's name from /api/conditions beside its code");
        html.Should().Contain(" UTC<", "times carry their time zone");
        html.Should().NotContain("loading…", "the placeholder is replaced once data arrived");
        html.Should().Contain("class=\"badge ok\"");
        html.Should().Contain("<rect");

        const string States = "[...document.querySelectorAll('#strings .card')].map(c => ['normal', 'fault', 'anomaly', 'night'].find(s => c.classList.contains(s)))";
        var before = await page.EvaluateAsync(States);
        var path = Path.Combine(dir, "operator-page.png");
        await page.ScreenshotAsync(path);
        output.WriteLine($"screenshot: {path}");
        var after = await page.EvaluateAsync(States);
        var viewport = await page.EvaluateAsync("[innerWidth, innerHeight, devicePixelRatio]");
        var cards = await page.EvaluateAsync("[...document.querySelectorAll('#strings .card')].map(c => { const r = c.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })");
        var bytes = await File.ReadAllBytesAsync(path);
        bytes.Should().StartWith(PngImage.Signature);
        var image = PngImage.Decode(bytes);
        double scale = viewport[2].GetDouble();
        (image.Width, image.Height).Should().Be(((int)Math.Round(viewport[0].GetDouble() * scale), (int)Math.Round(viewport[1].GetDouble() * scale)), "the screenshot is the viewport");
        image.Width.Should().Be((int)Math.Round(1280 * scale), "chromium runs with --window-size=1280,2400");
        image.Pixels.Distinct().Count().Should().BeGreaterThan(100, "a rendered page with text and charts has many colours, a blank one a handful");

        // Each card is filled with its state's colour (style.css: --normal green, --fault red, --anomaly orange, --night grey);
        // the page polls every 2 s, so a card whose state changed around the screenshot may show either.
        var stateColours = new Dictionary<string, int> { ["normal"] = 0x2e9d5b, ["fault"] = 0xd23c3c, ["anomaly"] = 0xe58a12, ["night"] = 0x7d8799 };
        var boxes = cards.EnumerateArray().ToArray();
        boxes.Should().HaveCount(4);
        for (int i = 0; i < boxes.Length; i++)
        {
            var fill = DominantColour(image, boxes[i], scale);
            string[] states = [before[i].GetString()!, after[i].GetString()!];
            states.Should().Contain(state => Near(stateColours[state], fill), $"card {i + 1} ({string.Join(" → ", states.Distinct())}) is filled #{fill:x6} in the screenshot");
        }

        (await demo.StopAsync(TimeSpan.FromSeconds(60))).Should().Be(0, demo.Output);
    }

    /// <summary>The most frequent colour inside a card's bounding box (CSS pixels [left, top, width, height]).</summary>
    private static int DominantColour(PngImage image, JsonElement box, double scale)
    {
        int x0 = (int)Math.Ceiling(box[0].GetDouble() * scale), y0 = (int)Math.Ceiling(box[1].GetDouble() * scale);
        int x1 = Math.Min(image.Width, (int)((box[0].GetDouble() + box[2].GetDouble()) * scale));
        int y1 = Math.Min(image.Height, (int)((box[1].GetDouble() + box[3].GetDouble()) * scale));
        var counts = new Dictionary<int, int>();
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
                counts[image[x, y]] = counts.GetValueOrDefault(image[x, y]) + 1;
        counts.Should().NotBeEmpty("the card lies inside the screenshot");
        return counts.MaxBy(p => p.Value).Key;
    }

    private static bool Near(int a, int b) =>
        Math.Abs((a >> 16) - (b >> 16)) <= 4 && Math.Abs(((a >> 8) & 0xff) - ((b >> 8) & 0xff)) <= 4 && Math.Abs((a & 0xff) - (b & 0xff)) <= 4;
}
