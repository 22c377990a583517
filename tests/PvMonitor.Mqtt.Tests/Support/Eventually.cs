namespace PvMonitor.Mqtt.Tests.Support;

/// <summary>Waits (real time, short polls) for background work to reach a state; fails with a message after the timeout.</summary>
internal static class Eventually
{
    public static Task True(Func<bool> condition, string because, double timeoutSeconds = 10) => True(condition, () => because, timeoutSeconds);

    /// <summary>Same, with a description computed when the wait fails (so it can show the state at that moment).</summary>
    public static async Task True(Func<bool> condition, Func<string> because, double timeoutSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeoutSeconds} s waiting until {because()}.");
            await Task.Delay(5);
        }
    }
}
