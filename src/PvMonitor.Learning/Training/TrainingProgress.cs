namespace PvMonitor.Learning.Training;

/// <summary>Reported after every epoch.</summary>
/// <param name="Epoch">Epochs done (1-based).</param>
/// <param name="MaxEpochs">The epoch limit.</param>
/// <param name="Loss">Mean training loss of the epoch (negative objective, nats per row for the SDGM).</param>
/// <param name="ValidationAccuracy">Accuracy on the validation rows (0–1), or NaN without validation labels.</param>
/// <param name="ValidationElbo">Mean ELBO of the validation rows in nats (SDGM), or NaN.</param>
/// <param name="Elapsed">Training time so far.</param>
/// <param name="IsBest">Whether this epoch is the best so far (its weights are kept).</param>
public readonly record struct TrainingProgress(int Epoch, int MaxEpochs, double Loss, double ValidationAccuracy, double ValidationElbo, TimeSpan Elapsed, bool IsBest);
