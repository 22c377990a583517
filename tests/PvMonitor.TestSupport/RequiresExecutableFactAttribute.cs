using System.Runtime.CompilerServices;
using Xunit;

namespace PvMonitor.Testing;

/// <summary>
/// A fact that needs an external program (a real server such as <c>mosquitto</c> or <c>influxd</c>).
/// When the program is not on PATH the test is reported as skipped with the reason, never silently passed.
/// <c>./test.sh</c> installs the programs when it runs as root on Debian/Ubuntu.
/// </summary>
public sealed class RequiresExecutableFactAttribute : FactAttribute
{
    public RequiresExecutableFactAttribute(params string[] executables)
    {
        foreach (var exe in executables)
        {
            if (ExternalProgram.Find(exe) is null)
            {
                Skip = $"'{exe}' is not installed: run ./test.sh as root on Debian/Ubuntu to install it (apt-get).";
                break;
            }
        }
    }
}

/// <summary>A theory version of <see cref="RequiresExecutableFactAttribute"/>.</summary>
public sealed class RequiresExecutableTheoryAttribute : TheoryAttribute
{
    public RequiresExecutableTheoryAttribute(params string[] executables)
    {
        foreach (var exe in executables)
        {
            if (ExternalProgram.Find(exe) is null)
            {
                Skip = $"'{exe}' is not installed: run ./test.sh as root on Debian/Ubuntu to install it (apt-get).";
                break;
            }
        }
    }
}
