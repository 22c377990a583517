namespace PvMonitor.Learning.Training;

/// <summary>Summary of a finished training run.</summary>
/// <param name="EpochsRun">Epochs actually run (early stopping may end before the limit).</param>
/// <param name="BestEpoch">The epoch whose weights were kept.</param>
/// <param name="BestValidationAccuracy">Validation accuracy at the best epoch (0–1), or NaN.</param>
/// <param name="BestValidationElbo">Validation ELBO at the best epoch (nats), or NaN.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="Alpha">The classification weight α used (SDGM), or NaN.</param>
public sealed record TrainingOutcome(int EpochsRun, int BestEpoch, double BestValidationAccuracy, double BestValidationElbo, TimeSpan Elapsed, double Alpha)
{
    /// <summary>The minimum epochs the run used (resolved by <see cref="StoppingSchedule"/>).</summary>
    public int MinEpochs { get; init; }

    /// <summary>The patience in epochs the run used (resolved by <see cref="StoppingSchedule"/>; 0 = none).</summary>
    public int Patience { get; init; }
}
