namespace PvMonitor.Learning.Models;

/// <summary>
/// A condition model that can compute anomaly scores other than the ELBO <see cref="IConditionModel.Score"/> fills (the SDGM).
/// Thread-safe like <see cref="IConditionModel"/>.
/// </summary>
public interface IAnomalyScoringModel : IConditionModel
{
    /// <summary>Whether <paramref name="score"/> can be computed by this model.</summary>
    bool Supports(AnomalyScore score);

    /// <summary>
    /// Computes <paramref name="score"/> (nats; lower = more anomalous) for <paramref name="rows"/> rows of raw features in
    /// <see cref="IConditionModel.Features"/> order. The Monte-Carlo noise is seeded by the model and the row count, so the
    /// same batch gets the same scores.
    /// </summary>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    /// <exception cref="NotSupportedException"><see cref="Supports"/> is false for <paramref name="score"/>.</exception>
    void ScoreAnomaly(AnomalyScore score, ReadOnlySpan<float> features, int rows, Span<float> result);
}
