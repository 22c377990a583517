namespace PvMonitor.Learning.Models;

/// <summary>
/// A trained condition classifier (a latent model — sdgm, m2, adgm, cagem — or an MLP/MLR baseline; <see cref="ModelKinds"/>) ready to score raw telemetry. Implementations are thread-safe:
/// concurrent <see cref="Score"/> calls each use their own working memory.
/// </summary>
public interface IConditionModel
{
    /// <summary>What the model is and how it was trained.</summary>
    ModelManifest Manifest { get; }

    /// <summary>Input features in order (see <see cref="ModelManifest.Features"/>).</summary>
    IReadOnlyList<string> Features { get; }

    /// <summary>Class names by output index.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>Whether <see cref="Score"/> fills an ELBO (true for the latent kinds; false for MLP/MLR).</summary>
    bool HasElbo { get; }

    /// <summary>
    /// Scores <paramref name="rows"/> samples of raw (not standardised) features, row-major in <see cref="Features"/> order.
    /// </summary>
    /// <param name="features">rows × feature count raw values (A, V, W/m², °C, °C, m/s for the paper's sensors).</param>
    /// <param name="rows">Number of samples.</param>
    /// <param name="probabilities">rows × class count: q(y|x) per class (each row sums to 1).</param>
    /// <param name="elbo">rows: the ELBO U(x) in nats (lower = more anomalous); empty to skip; ignored when <see cref="HasElbo"/> is false.</param>
    /// <param name="reconstructionZ">rows × feature count: per-sensor reconstruction z-score (x − E[x̂]) / σ̂ under
    /// the model, averaged over classes by q(y|x) (which sensor looks wrong); empty to skip; latent kinds only.</param>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    void Score(ReadOnlySpan<float> features, int rows, Span<float> probabilities, Span<float> elbo, Span<float> reconstructionZ);
}
