namespace PvMonitor.Simulation.Live;

/// <summary>A condition a string of a live plant is in from <paramref name="From"/> (inclusive) to <paramref name="To"/> (exclusive).</summary>
/// <param name="String">0-based string index in the plant.</param>
/// <param name="From">Start (simulated time).</param>
/// <param name="To">End (simulated time).</param>
/// <param name="Code">Condition code (built-in or from <see cref="LivePlantOptions.ExtraConditions"/>).</param>
public sealed record ConditionEpisode(int String, DateTimeOffset From, DateTimeOffset To, string Code);
