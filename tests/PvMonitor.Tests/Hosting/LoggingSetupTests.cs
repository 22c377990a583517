using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using PvMonitor.Hosting;
using Serilog.Events;

namespace PvMonitor.Tests.Hosting;

/// <summary>Serilog through Serilog.AspNetCore: the compact JSON file option and the request log lines.</summary>
public sealed class LoggingSetupTests : IDisposable
{
    private const string CompactJson = "Serilog.Formatting.Compact.CompactJsonFormatter, Serilog.Formatting.Compact";
    private readonly string _dir = Directory.CreateTempSubdirectory("pvmon-logs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private List<JsonElement> Events() =>
        Directory.GetFiles(_dir, "*.log").SelectMany(File.ReadAllLines).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public void A_file_sink_with_the_compact_formatter_writes_one_json_event_per_line()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Serilog:WriteTo:0:Name"] = "File",
            ["Serilog:WriteTo:0:Args:path"] = Path.Combine(_dir, "pv-.log"),
            ["Serilog:WriteTo:0:Args:rollingInterval"] = "Day",
            ["Serilog:WriteTo:0:Args:formatter"] = CompactJson,
        }).Build();

        using (var logger = LoggingSetup.CreateLogger(configuration))
            logger.Information("hello {Who}", "operator");

        var e = Events().Should().ContainSingle().Which;
        e.GetProperty("@mt").GetString().Should().Be("hello {Who}");
        e.GetProperty("Who").GetString().Should().Be("operator");
        DateTimeOffset.Parse(e.GetProperty("@t").GetString()!, System.Globalization.CultureInfo.InvariantCulture).Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
    }

    [Theory]
    [InlineData("GET", "/healthz", 200, LogEventLevel.Verbose)]
    [InlineData("GET", "/metrics", 200, LogEventLevel.Verbose)]
    [InlineData("GET", "/app.js", 200, LogEventLevel.Verbose)]
    [InlineData("GET", "/api/strings", 200, LogEventLevel.Debug)]
    [InlineData("POST", "/api/labels", 201, LogEventLevel.Information)]
    [InlineData("DELETE", "/api/labels/3", 401, LogEventLevel.Information)]
    [InlineData("GET", "/api/strings", 500, LogEventLevel.Error)]
    public void Each_request_is_logged_at_a_level_by_method_path_and_status(string method, string path, int status, LogEventLevel expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.StatusCode = status;

        LoggingSetup.RequestLevel(context, 1.5, error: null).Should().Be(expected);
    }

    [Fact]
    public async Task The_worker_writes_one_summary_line_per_api_request_to_the_configured_sink()
    {
        var port = PvMonitor.Testing.ExternalProgram.FreeTcpPort();
        var app = WorkerHost.Build(WorkerHost.CreateBuilder(WorkerMode.Daemon, null,
        [
            $"Data:Path={Path.Combine(_dir, "data")}", "Mqtt:Port=9", "Api:RequireAuth=false", "Serilog:MinimumLevel:Default=Debug",
            $"Serilog:WriteTo:1:Args:path={Path.Combine(_dir, "worker-.log")}", $"Serilog:WriteTo:1:Args:formatter={CompactJson}",
        ], urls: $"http://127.0.0.1:{port}"));
        await using (app)
        {
            WorkerHost.Prepare(app.Services);
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            (await client.GetAsync("/api/strings")).EnsureSuccessStatusCode();
            (await client.GetAsync("/healthz")).EnsureSuccessStatusCode();
            await app.StopAsync();
        }

        var requests = Events().Where(e => e.TryGetProperty("SourceContext", out var c) && c.GetString() == "Serilog.AspNetCore.RequestLoggingMiddleware").ToList();
        var line = requests.Should().ContainSingle("/healthz is logged at Verbose, below the Debug minimum").Which;
        line.GetProperty("RequestPath").GetString().Should().Be("/api/strings");
        line.GetProperty("RequestMethod").GetString().Should().Be("GET");
        line.GetProperty("StatusCode").GetInt32().Should().Be(200);
        line.GetProperty("@l").GetString().Should().Be("Debug");
    }
}
