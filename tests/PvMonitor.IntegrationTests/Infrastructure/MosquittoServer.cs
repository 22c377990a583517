using PvMonitor.Testing;

namespace PvMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// A real mosquitto on 127.0.0.1 and a free port, in its own temp folder, with unlimited queued messages (a killed worker's
/// persistent session must keep everything) and 1,000 QoS 1 messages in flight per client (the default 20 would throttle a
/// worker that acknowledges after its durable write). Stopped by PID.
/// </summary>
internal sealed class MosquittoServer : IAsyncDisposable
{
    private readonly RunningProgram _process;

    private MosquittoServer(string directory, int port, RunningProgram process)
    {
        Directory = directory;
        Port = port;
        _process = process;
    }

    public string Directory { get; }

    public int Port { get; }

    public string Output => _process.Output;

    public static async Task<MosquittoServer> StartAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("pvmonitor-it-mosquitto-").FullName;
        var port = ExternalProgram.FreeTcpPort();
        var config = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            persistence false
            max_queued_messages 0
            max_inflight_messages 1000
            user root
            """ + "\n");
        var process = ExternalProgram.Start("mosquitto", $"-c {config}", directory);
        await ExternalProgram.WaitForPortAsync(port, TimeSpan.FromSeconds(10), process);
        return new MosquittoServer(directory, port, process);
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
