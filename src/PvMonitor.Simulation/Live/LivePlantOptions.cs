using PvMonitor.Simulation.Conditions;
using PvMonitor.Simulation.Physics;
using PvMonitor.Simulation.Sensors;
using PvMonitor.Simulation.Weather;

namespace PvMonitor.Simulation.Live;

/// <summary>A simulated plant used as a live telemetry source (demo, replay, load tests).</summary>
public sealed record LivePlantOptions
{
    /// <summary>Plant name. Default "demo".</summary>
    public string Plant { get; init; } = "demo";

    /// <summary>Number of strings. Default 4.</summary>
    public int Strings { get; init; } = 4;

    /// <summary>Strings per inverter. Default 2.</summary>
    public int StringsPerInverter { get; init; } = 2;

    /// <summary>Seed. Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Simulated time of the first sample (rounded down to the minute). Default 2026-03-20 09:00 UTC (a spring morning).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 3, 20, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Simulated time between samples. Default 1 minute (the physics is evaluated at 1-minute resolution).</summary>
    public TimeSpan Step { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Conditions per string over time; a string with no episode at a time is healthy (labelled N or C by the sky, S under snow).</summary>
    public IReadOnlyList<ConditionEpisode> Episodes { get; init; } = [];

    /// <summary>Sky of every day, or null to draw each day from the climatology. Default null.</summary>
    public SkyRegime? Sky { get; init; }

    /// <summary>Condition definitions beyond the built-in ones.</summary>
    public IReadOnlyList<ConditionPhysics> ExtraConditions { get; init; } = [];

    /// <summary>Site. Default Aalborg.</summary>
    public SiteOptions Site { get; init; } = new();

    /// <summary>String layout.</summary>
    public StringLayout Layout { get; init; } = new();

    /// <summary>Sensors.</summary>
    public SensorOptions Sensors { get; init; } = new();

    /// <summary>MPP tracker.</summary>
    public MpptOptions Mppt { get; init; } = new();
}
