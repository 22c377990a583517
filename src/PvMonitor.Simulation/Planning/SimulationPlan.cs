namespace PvMonitor.Simulation.Planning;

/// <summary>What a simulation run does each day: weather, recording windows, and which condition each string is in.</summary>
public sealed class SimulationPlan
{
    internal SimulationPlan(IReadOnlyList<DaySchedule> days, string[][][] codes)
    {
        Days = days;
        Codes = codes;
    }

    /// <summary>The days, in order.</summary>
    public IReadOnlyList<DaySchedule> Days { get; }

    /// <summary>Condition code per [string][day][slot].</summary>
    internal string[][][] Codes { get; }

    /// <summary>Number of strings planned.</summary>
    public int Strings => Codes.Length;

    /// <summary>The condition of a string during a slot of a day.</summary>
    public string CodeOf(int stringIndex, int day, int slot) => Codes[stringIndex][day][slot];
}
