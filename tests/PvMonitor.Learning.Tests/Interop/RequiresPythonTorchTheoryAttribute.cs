using System.Diagnostics;

namespace PvMonitor.Learning.Tests.Interop;

/// <summary>
/// A theory that needs Debian's python3 with PyTorch (<c>python3-torch</c>, installed by <c>./test.sh</c> as root); skipped
/// with the reason where it is missing.
/// </summary>
public sealed class RequiresPythonTorchTheoryAttribute : TheoryAttribute
{
    /// <summary>Debian's interpreter (python3-torch installs into its dist-packages).</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(Probe);

    public RequiresPythonTorchTheoryAttribute()
    {
        if (Missing.Value is { } reason) Skip = reason;
    }

    private static string? Probe()
    {
        if (!File.Exists(Python)) return $"{Python} is not installed: run ./test.sh as root on Debian/Ubuntu (apt-get install python3-torch).";
        try
        {
            using var p = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            p.WaitForExit(60_000);
            return p.ExitCode == 0 ? null : "python3-torch is not installed: run ./test.sh as root on Debian/Ubuntu (apt-get install python3-torch).";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"{Python} cannot run: {ex.Message}";
        }
    }
}
