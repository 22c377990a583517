using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PvMonitor.Testing;

/// <summary>Helpers for tests that start real servers on 127.0.0.1: find a program, pick a free port, start and stop by PID.</summary>
public static class ExternalProgram
{
    private static readonly string[] ExtraDirs = ["/usr/sbin", "/usr/bin", "/sbin", "/usr/local/sbin", "/usr/local/bin"];

    /// <summary>Full path of <paramref name="name"/> on PATH (or in the usual sbin folders), or null.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirs))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }

        return null;
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts a program with redirected output (kept in <see cref="RunningProgram.Output"/>).</summary>
    public static RunningProgram Start(string name, string arguments, string? workingDirectory = null)
    {
        var exe = Find(name) ?? throw new InvalidOperationException($"'{name}' is not installed.");
        var psi = new ProcessStartInfo(exe, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start '{name}'.");
        return new RunningProgram(process);
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task WaitForPortAsync(int port, TimeSpan timeout, RunningProgram? owner = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (owner is { HasExited: true })
                throw new InvalidOperationException($"The server exited before listening on port {port}:\n{owner.Output}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"Nothing listened on 127.0.0.1:{port} within {timeout.TotalSeconds:0} s.\n{owner?.Output}");
    }
}

/// <summary>A started external program; disposing kills it (and waits for it) by PID.</summary>
public sealed class RunningProgram : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    internal RunningProgram(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Kills the program (SIGKILL) and waits for it to exit.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
