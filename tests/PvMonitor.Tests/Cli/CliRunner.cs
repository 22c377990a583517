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
    public static Task<(int Code, string Out, string Err)> ProcessWithDllAsync(IDictionary<string, string>? environment, string dll, params string[] args) =>
        RunAsync("dotnet", [dll, .. args], workingDirectory: null, environment);

    /// <summary>Runs <paramref name="program"/> with <paramref name="args"/> in <paramref name="workingDirectory"/> (null: this process's).</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(string program, IEnumerable<string> args, string? workingDirectory,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var outTask = process.StandardOutput.ReadToEndAsync();
        var errTask = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', psi.ArgumentList)} did not finish in {timeout ?? TimeSpan.FromSeconds(60)}: {await errTask}");
        }

        return (process.ExitCode, await outTask, await errTask);
    }

    /// <summary>
    /// Copies this test's build output (the pvmonitor executable and everything next to it) to <paramref name="target"/>, a
    /// folder outside the repository, so nothing is found by walking up to the source tree. The host resolves a symlinked app to
    /// its real folder, so managed files are copied; only the big native files are linked. Returns the path of pvmonitor.dll.
    /// </summary>
    public static string CopyBuildOutput(string target)
    {
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(AppContext.BaseDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            if (new FileInfo(file).Length > 8_000_000) File.CreateSymbolicLink(copy, file);
            else File.Copy(file, copy);
        }

        return Path.Combine(target, "pvmonitor.dll");
    }

    /// <summary>The repository's root (the folder with PvMonitor.sln above this test's build output).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PvMonitor.sln"))) return dir.FullName;
        throw new InvalidOperationException("PvMonitor.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The build configuration these tests were built in (Release or Debug), which the executable was built in too.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
}
