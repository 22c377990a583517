namespace PvMonitor.Simulation;

/// <summary>What a simulation run wrote.</summary>
/// <param name="Rows">Rows written.</param>
/// <param name="RowsPerLabel">Rows per label ("" = unlabelled).</param>
/// <param name="Days">Days simulated.</param>
/// <param name="Strings">Strings simulated.</param>
public sealed record SimulationSummary(long Rows, IReadOnlyDictionary<string, long> RowsPerLabel, int Days, int Strings);
