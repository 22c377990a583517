using System.Diagnostics;
using PvMonitor.Testing;

namespace PvMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// The real <c>pvmonitor</c> executable (the build output next to the tests) started as a separate process with
/// <c>--set</c> overrides, in its own working folder. <see cref="Kill"/> is SIGKILL by PID (a crash); disposing kills too.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private WorkerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Path of pvmonitor.dll (copied next to the test assembly by the project reference).</summary>
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "pvmonitor.dll");

    /// <summary>Starts <c>dotnet pvmonitor.dll VERB ARGS</c> in <paramref name="workingDirectory"/> and waits for /healthz.</summary>
    public static async Task<WorkerProcess> StartAsync(string workingDirectory, int port, IEnumerable<string> arguments, bool waitForHealth = true)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add(Executable);
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_gcServer"] = "0";
        var worker = new WorkerProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start pvmonitor"), port);
        if (waitForHealth) await worker.WaitForAsync("/healthz", TimeSpan.FromSeconds(60));
        return worker;
    }

    /// <summary>
    /// Starts <c>pvmonitor demo</c> (4 strings at 30 simulated minutes per second, the model at <paramref name="modelPath"/>, data
    /// under <c>DIR/data</c>) in <paramref name="dir"/>, with each of <paramref name="settings"/> (<c>Key=Value</c>) as a <c>--set</c>.
    /// </summary>
    public static Task<WorkerProcess> StartDemoAsync(string dir, string modelPath, params string[] settings)
    {
        var port = ExternalProgram.FreeTcpPort();
        Directory.CreateDirectory(dir);
        List<string> arguments = ["demo", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--strings", "4", "--speed", "30",
            "--set", $"Model:Path={modelPath}", "--set", $"Data:Path={Path.Combine(dir, "data")}"];
        foreach (var setting in settings) arguments.AddRange(["--set", setting]);
        return StartAsync(dir, port, arguments);
    }

    /// <summary>Waits until GET <paramref name="path"/> answers 200.</summary>
    public async Task WaitForAsync(string path, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"pvmonitor exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await http.GetAsync(BaseUrl + path);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (clock.Elapsed > timeout) throw new TimeoutException($"{BaseUrl}{path} did not answer 200 within {timeout.TotalSeconds:0} s:\n{Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>Sends SIGINT (graceful stop) and waits for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", $"-INT {_process.Id}");
            await kill!.WaitForExitAsync();
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL by PID, as a crash would.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
