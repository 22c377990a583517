namespace PvMonitor.Monitoring.Tests.Storage.Influx.TestSupport;

/// <summary>Polls a condition, optionally moving a manual clock forward between polls; fails after a real-time limit.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, ManualTimeProvider? time = null, TimeSpan? step = null, double seconds = 10, string? because = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("Condition not met in time" + (because is null ? "" : ": " + because));
            time?.Advance(step ?? TimeSpan.FromMilliseconds(100));
            await Task.Delay(2);
        }
    }
}
