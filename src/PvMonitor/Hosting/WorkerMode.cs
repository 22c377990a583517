namespace PvMonitor.Hosting;

/// <summary>What feeds the worker: the MQTT broker (<c>run</c>) or the demo's simulated plant (<c>demo</c>).</summary>
/// <param name="Demo">The simulated plant, or null for the MQTT daemon.</param>
public sealed record WorkerMode(DemoPlantSettings? Demo)
{
    /// <summary>The MQTT daemon.</summary>
    public static WorkerMode Daemon { get; } = new((DemoPlantSettings?)null);

    /// <summary>True for the demo.</summary>
    public bool IsDemo => Demo is not null;

    /// <summary>The demo's SQLite file under <c>Data:Path</c>, recreated at every start.</summary>
    public const string DemoDatabase = "demo.db";
}
