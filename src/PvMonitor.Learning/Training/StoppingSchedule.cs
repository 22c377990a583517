namespace PvMonitor.Learning.Training;

/// <summary>
/// Resolves the early-stopping schedule of a run. An epoch is a poor unit when data sets range from a few thousand rows
/// (a new plant, La Réunion: ~15 optimizer steps per epoch) to a million (~10,000 steps per epoch), so the defaults are
/// counted in optimizer steps: never stop before about <see cref="MinSteps"/> steps (at least <see cref="MinMinEpochs"/>
/// epochs) and stop after about <see cref="PatienceSteps"/> steps (at least <see cref="MinPatience"/> epochs) without a
/// better smoothed validation score; both capped at the maximum epochs. Explicit values win.
/// </summary>
public static class StoppingSchedule
{
    /// <summary>Optimizer steps before early stopping may end a run (3,000).</summary>
    public const int MinSteps = 3000;

    /// <summary>Optimizer steps without improvement that end a run (2,000).</summary>
    public const int PatienceSteps = 2000;

    /// <summary>Smallest automatic minimum run, epochs (10).</summary>
    public const int MinMinEpochs = 10;

    /// <summary>Smallest automatic patience, epochs (5).</summary>
    public const int MinPatience = 5;

    /// <summary>The minimum epochs and the patience for a run of at most <paramref name="epochs"/> epochs of
    /// <paramref name="stepsPerEpoch"/> optimizer steps; null values are resolved automatically.</summary>
    public static (int MinEpochs, int Patience) Resolve(int? minEpochs, int? patience, int epochs, int stepsPerEpoch)
    {
        int steps = Math.Max(1, stepsPerEpoch);
        int min = minEpochs ?? Math.Max(MinMinEpochs, (MinSteps + steps - 1) / steps);
        int wait = patience ?? Math.Max(MinPatience, (PatienceSteps + steps - 1) / steps);
        return (Math.Min(min, epochs), Math.Min(wait, epochs));
    }
}
