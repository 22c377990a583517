using System.Globalization;

namespace PvMonitor.Testing;

/// <summary>
/// A real <c>influxd</c> (1.x) on 127.0.0.1 with its meta/data/wal in a temp folder, every listener on a free loopback port,
/// reporting and the internal monitor off. Can be killed (SIGKILL, by PID) and restarted on the same port and data.
/// </summary>
public sealed class InfluxServer : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _config;
    private RunningProgram? _process;

    private InfluxServer(string root, int httpPort, int rpcPort)
    {
        _root = root;
        HttpPort = httpPort;
        _config = Path.Combine(root, "influxdb.conf");
        File.WriteAllText(_config, string.Create(CultureInfo.InvariantCulture, $"""
            reporting-enabled = false
            bind-address = "127.0.0.1:{rpcPort}"

            [meta]
              dir = "{root}/meta"
              logging-enabled = false

            [data]
              dir = "{root}/data"
              wal-dir = "{root}/wal"
              query-log-enabled = false
              wal-fsync-delay = "0s"

            [monitor]
              store-enabled = false

            [http]
              enabled = true
              bind-address = "127.0.0.1:{httpPort}"
              log-enabled = false
              pprof-enabled = false

            [continuous_queries]
              enabled = false

            [retention]
              enabled = false

            [subscriber]
              enabled = false

            [logging]
              level = "warn"
            """));
    }

    public int HttpPort { get; }

    public string Url => $"http://127.0.0.1:{HttpPort}";

    public string Output => _process?.Output ?? "";

    public static async Task<InfluxServer> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "pvinfluxd-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var server = new InfluxServer(root, ExternalProgram.FreeTcpPort(), ExternalProgram.FreeTcpPort());
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Kills influxd (SIGKILL) by PID, as a crash or power cut would.</summary>
    public void Kill()
    {
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts influxd again on the same port with the same data.</summary>
    public Task RestartAsync() => StartProcessAsync();

    private async Task StartProcessAsync()
    {
        _process = ExternalProgram.Start("influxd", $"-config {_config}", _root);
        await ExternalProgram.WaitForPortAsync(HttpPort, TimeSpan.FromSeconds(30), _process);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var ping = await http.GetAsync(Url + "/ping");
                if ((int)ping.StatusCode == 204) return;
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("influxd did not answer /ping:\n" + Output);
            await Task.Delay(50);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
