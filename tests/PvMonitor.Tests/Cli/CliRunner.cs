using System.Diagnostics;
using PvMonitor.Cli;

namespace PvMonitor.Tests.Cli;

/// <summary>Runs the CLI in-process (fast) or as a real child process (for environment variables and exit codes).</summary>
internal static class CliRunner
{
    public static async Task<(int Code, string Out, string Err)> InProcessAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await PvMonitorCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static Task<(int Code, string Out, string Err)> ProcessAsync(IDictionary<string, string>? environment, params string[] args) =>
        ProcessWithDllAsync(environment, Path.Combine(AppContext.BaseDirectory, "pvmonitor.dll"), args);

    /// <summary>Runs <c>dotnet DLL ARGS</c> (e.g. a copy of the build output).</summary>
    public static async Task<(int Code, string Out, string Err)> ProcessWithDllAsync(IDictionary<string, string>? environment, string dll, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var outTask = process.StandardOutput.ReadToEndAsync();
        var errTask = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await outTask, await errTask);
    }
}
