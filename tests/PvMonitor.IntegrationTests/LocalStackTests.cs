using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using PvMonitor.IntegrationTests.Infrastructure;
using PvMonitor.Testing;
using Xunit.Abstractions;

namespace PvMonitor.IntegrationTests;

/// <summary>
/// deploy/local-stack.sh end to end: it starts mosquitto and InfluxDB 1.x on loopback with credentials and the built worker
/// against them (free ports, a temp state folder), telemetry published as the plant user is stored and served to a token
/// holder, anonymous clients are refused, and <c>stop</c> ends all three processes.
/// </summary>
public sealed class LocalStackTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvmonitor-localstack-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "PvMonitor.sln"))) return Path.Combine(dir.FullName, "deploy", "local-stack.sh");
            throw new InvalidOperationException("PvMonitor.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [RequiresExecutableFact("mosquitto", "mosquitto_pub", "mosquitto_passwd", "influxd", "curl", "openssl")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_script_starts_the_stack_on_loopback_with_credentials_and_stops_it()
    {
        var (mqtt, influx, api) = (ExternalProgram.FreeTcpPort(), ExternalProgram.FreeTcpPort(), ExternalProgram.FreeTcpPort());
        string P(int port) => port.ToString(CultureInfo.InvariantCulture);
        var pids = new List<int>();
        try
        {
            var start = await RunAsync("bash", Script, "start", "--dir", _dir, "--mqtt-port", P(mqtt), "--influx-port", P(influx), "--api-port", P(api),
                "--pvmonitor", $"dotnet {WorkerProcess.Executable}", "--no-install");
            output.WriteLine(start.Output);
            start.Code.Should().Be(0, start.Output);
            pids.AddRange(Directory.GetFiles(Path.Combine(_dir, "run"), "*.pid").Select(f => int.Parse(File.ReadAllText(f).Trim(), CultureInfo.InvariantCulture)));
            pids.Should().HaveCount(3);
            var secrets = File.ReadAllLines(Path.Combine(_dir, "secrets.env")).Where(l => l.Contains('='))
                .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
            File.GetUnixFileMode(Path.Combine(_dir, "secrets.env")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}"), Timeout = TimeSpan.FromSeconds(10) };
            await Eventually.TrueAsync(() => http.GetAsync("/readyz").GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK,
                timeout: TimeSpan.FromSeconds(30), because: "the worker connects to the broker and the database with the generated credentials");

            var time = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var payload = $$"""{"time":"{{time}}","I":8.1,"V":610,"G":820,"TExt":21,"TMod":43,"W":2.5}""";
            var published = await RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", P(mqtt), "-u", "plant", "-P", secrets["MQTT_PLANT_PASSWORD"], "-q", "1",
                "-t", "pv/p1/inv1/s1/telemetry", "-m", payload);
            published.Code.Should().Be(0, published.Output);
            var anonymous = await RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", P(mqtt), "-q", "1", "-t", "pv/p1/inv1/s1/telemetry", "-m", payload);
            anonymous.Code.Should().NotBe(0, "the broker requires a password");

            (await http.GetAsync("/api/strings")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secrets["PVMON_API_TOKEN"]);
            await Eventually.TrueAsync(() => http.GetStringAsync("/api/strings").GetAwaiter().GetResult().Contains("\"string\":\"s1\"", StringComparison.Ordinal),
                timeout: TimeSpan.FromSeconds(30), because: "the published sample is scored, stored and served");

            using var influxHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{influx}") };
            (await influxHttp.GetAsync("/query?db=pvmonitor&q=SHOW%20MEASUREMENTS")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            influxHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + secrets["INFLUX_ADMIN_PASSWORD"])));
            (await influxHttp.GetStringAsync("/query?db=pvmonitor&q=SHOW%20MEASUREMENTS")).Should().Contain("pv_telemetry").And.Contain("pv_condition");
        }
        finally
        {
            var stop = await RunAsync("bash", Script, "stop", "--dir", _dir);
            output.WriteLine(stop.Output);
            stop.Code.Should().Be(0, stop.Output);
        }

        foreach (var pid in pids)
        {
            var exited = false;
            try
            {
                using var p = Process.GetProcessById(pid);
                exited = p.HasExited;
            }
            catch (ArgumentException)
            {
                exited = true;
            }

            exited.Should().BeTrue($"process {pid} was stopped");
        }
    }
}
