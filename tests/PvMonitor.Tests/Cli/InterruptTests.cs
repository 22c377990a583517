using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PvMonitor.Tests.Cli;

/// <summary>Ctrl+C (SIGINT) and SIGTERM during training: exit code 130, one line, no model directory, nothing half-written.</summary>
public sealed partial class InterruptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvmon-interrupt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(2)] // SIGINT, what Ctrl+C sends
    [InlineData(15)] // SIGTERM
    public async Task Interrupting_train_exits_130_and_leaves_no_model_directory(int signal)
    {
        if (OperatingSystem.IsWindows()) return;
        var csv = Path.Combine(_dir, "plant.csv");
        (await CliRunner.InProcessAsync("simulate", "--days", "4", "--out", csv)).Code.Should().Be(0);
        var model = Path.Combine(_dir, "models", "mine");

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "pvmonitor.dll"), "train", "--data", csv, "--out", model, "--epochs", "100000", "--patience", "0" })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        // The first progress line means training has started (redirected stderr gets plain lines, the first one at once).
        var first = await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        first.Should().Contain("epoch");
        if (SignalIgnored(process.Id, signal))
        {
            process.Kill();
            return; // started with the signal ignored (e.g. a background job of a non-interactive shell): nothing to test
        }

        Kill(process.Id, signal).Should().Be(0);
        var rest = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        process.ExitCode.Should().Be(130, rest);
        rest.Should().Contain("pvmonitor: cancelled.").And.NotContain("   at ").And.NotContain("unexpected");
        (await stdout).Should().BeEmpty();
        Directory.Exists(model).Should().BeFalse();
        Directory.EnumerateFileSystemEntries(Path.Combine(_dir, "models")).Should().BeEmpty("no temporary model directory is left behind");
    }

    /// <summary>Whether <paramref name="pid"/> ignores <paramref name="signal"/> (the SigIgn mask in /proc/PID/status).</summary>
    private static bool SignalIgnored(int pid, int signal)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line[7..].Trim(), 16) & (1UL << (signal - 1))) != 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
