using System.Diagnostics;
using System.Text;
using PvMonitor.Testing;

namespace PvMonitor.Monitoring.Tests.Ingest.Mqtt;

/// <summary>
/// A real mosquitto 2 on 127.0.0.1 and a free port, configured in its own temp folder (config, password file,
/// certificates, persistence database). Stopped by PID; the folder is deleted on dispose.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly string _configFile;
    private RunningProgram? _process;

    private MosquittoBroker(string directory, int port, string configFile)
    {
        Directory = directory;
        Port = port;
        _configFile = configFile;
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>Broker output so far (for failure messages).</summary>
    public string Output => _process?.Output ?? "";

    /// <summary>Writes a config and starts mosquitto.</summary>
    /// <param name="username">With <paramref name="password"/>: anonymous access is off and this is the only account.</param>
    /// <param name="password">Password of <paramref name="username"/>.</param>
    /// <param name="tls">Certificates for a TLS listener; null for plain TCP.</param>
    /// <param name="requireClientCertificate">Mutual TLS.</param>
    /// <param name="directory">Folder for config and data (deleted on dispose); default a new temp folder.</param>
    /// <param name="port">Port to listen on; default a free one.</param>
    /// <param name="start">False: write the config only (start it later with <see cref="StartAgainAsync"/>).</param>
    public static async Task<MosquittoBroker> StartAsync(string? username = null, string? password = null, TestCertificates? tls = null,
        bool requireClientCertificate = false, string? directory = null, int? port = null, bool start = true)
    {
        directory ??= System.IO.Directory.CreateTempSubdirectory("pvmonitor-mosquitto-").FullName;
        port ??= ExternalProgram.FreeTcpPort();
        var config = new StringBuilder()
            .AppendLine($"listener {port} 127.0.0.1")
            // Persistent sessions survive a restart: queued and in-flight QoS 1 messages are saved on shutdown.
            .AppendLine("persistence true")
            .AppendLine($"persistence_location {directory}/")
            // The default of 1,000 queued messages per client would drop QoS 1 messages in the restart test.
            .AppendLine("max_queued_messages 0")
            // When the tests run as root, keep root so the broker can read the 0600 files in this folder.
            .AppendLine("user root");
        if (username is not null)
        {
            var passwordFile = Path.Combine(directory, "passwords");
            await RunAsync("mosquitto_passwd", $"-c -b {passwordFile} {username} {password}", directory);
            config.AppendLine("allow_anonymous false").AppendLine($"password_file {passwordFile}");
        }
        else
        {
            config.AppendLine("allow_anonymous true");
        }

        if (tls is not null)
        {
            config.AppendLine($"cafile {tls.CaFile}").AppendLine($"certfile {tls.ServerCertFile}").AppendLine($"keyfile {tls.ServerKeyFile}");
            if (requireClientCertificate)
                config.AppendLine("require_certificate true");
        }

        var configFile = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(configFile, config.ToString());
        var broker = new MosquittoBroker(directory, port.Value, configFile);
        if (start) await broker.StartProcessAsync();
        return broker;
    }

    /// <summary>SIGTERM (mosquitto saves its persistence database) and wait for the exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
            return;
        await RunAsync("kill", $"-TERM {process.Pid}", Directory);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!process.HasExited && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        process.Dispose();
        _process = null;
    }

    /// <summary>Starts mosquitto again with the same config, port and database.</summary>
    public Task StartAgainAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        _process?.Dispose();
        _process = null;
        await Task.Yield();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Runs a short command and fails with its output when it exits non-zero.</summary>
    public static async Task RunAsync(string program, string arguments, string workingDirectory)
    {
        var exe = ExternalProgram.Find(program) ?? throw new InvalidOperationException($"'{program}' is not installed.");
        var psi = new ProcessStartInfo(exe, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {arguments} exited with {process.ExitCode}: {await stdout}{await stderr}");
    }

    private async Task StartProcessAsync()
    {
        _process = ExternalProgram.Start("mosquitto", $"-c {_configFile}", Directory);
        await ExternalProgram.WaitForPortAsync(Port, TimeSpan.FromSeconds(10), _process);
    }
}
