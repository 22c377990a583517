namespace PvMonitor.Cli;

/// <summary>Process exit codes of <c>pvmonitor</c>, documented in the README.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The work failed at run time (I/O error, server unreachable, bad data file, …).</summary>
    public const int Failure = 1;

    /// <summary>Bad command line or bad configuration: the message names the argument or key.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl+C / SIGTERM before finishing.</summary>
    public const int Cancelled = 130;
}
