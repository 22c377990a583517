using PvMonitor.Simulation.Weather;

namespace PvMonitor.Simulation.Planning;

/// <summary>
/// One day of a campaign: its weather plan, the minutes where each condition slot begins, and the recording window
/// (rows outside it are not labelled and, unless night rows are asked for, not written).
/// </summary>
/// <param name="Weather">The day's weather plan.</param>
/// <param name="SlotStarts">Minute of the UTC day where each slot begins (the first is 0); one slot per day when days outnumber conditions.</param>
/// <param name="RecordFrom">First recorded minute (inclusive), UTC minute of day.</param>
/// <param name="RecordTo">Last recorded minute (exclusive).</param>
public sealed record DaySchedule(DayPlan Weather, IReadOnlyList<int> SlotStarts, int RecordFrom, int RecordTo)
{
    /// <summary>The slot a minute belongs to.</summary>
    public int SlotAt(int minute)
    {
        var s = 0;
        for (var i = 1; i < SlotStarts.Count; i++)
            if (SlotStarts[i] <= minute) s = i;
        return s;
    }
}
