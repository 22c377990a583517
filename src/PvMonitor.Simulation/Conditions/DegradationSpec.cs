namespace PvMonitor.Simulation.Conditions;

/// <summary>Electrical degradation of the cells of some modules (ageing, potential-induced degradation, cracked cells).</summary>
public sealed record DegradationSpec
{
    /// <summary>0-based module positions; null or empty = every module.</summary>
    public IReadOnlyList<int>? Modules { get; init; }

    /// <summary>Multiplier on photocurrent (optical and current loss). Default 1.</summary>
    public double PhotocurrentFactor { get; init; } = 1;

    /// <summary>Multiplier on cell series resistance. Default 1.</summary>
    public double SeriesResistanceFactor { get; init; } = 1;

    /// <summary>Multiplier on cell shunt resistance (PID lowers it by one to two orders of magnitude). Default 1.</summary>
    public double ShuntResistanceFactor { get; init; } = 1;
}
