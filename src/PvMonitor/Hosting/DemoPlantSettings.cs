namespace PvMonitor.Hosting;

/// <summary>What <c>pvmonitor demo</c> simulates.</summary>
/// <param name="Strings">PV strings of the simulated inverter (1–1000).</param>
/// <param name="Speed">Simulated minutes per wall-clock second (> 0).</param>
/// <param name="Seed">Seed of weather, sensor noise and dropouts.</param>
public sealed record DemoPlantSettings(int Strings, double Speed, long Seed);
