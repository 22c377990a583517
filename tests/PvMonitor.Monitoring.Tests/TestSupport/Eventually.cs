namespace PvMonitor.Monitoring.Tests.TestSupport;

/// <summary>Waits for background work to reach a state (polling); fails with a message if it never does.</summary>
internal static class Eventually
{
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 15_000)
    {
        var waited = 0;
        while (!condition())
        {
            if (waited >= timeoutMs) throw new Xunit.Sdk.XunitException($"Timed out waiting until {what}.");
            await Task.Delay(10);
            waited += 10;
        }
    }
}
