namespace PvMonitor.Monitoring.Tests.TestSupport;

/// <summary>A clock that only moves when told to (for GetUtcNow-based checks).</summary>
internal sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
