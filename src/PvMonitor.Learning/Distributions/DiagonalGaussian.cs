using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Distributions;

/// <summary>
/// A batch of diagonal Gaussians N(mean, diag(exp(logVariance))), one per row, recorded on a graph. All results
/// are per row (batch × 1) and in nats; gradients flow to the mean and log-variance.
/// </summary>
public readonly struct DiagonalGaussian
{
    private const float LogTwoPiE = 2.8378770664093453f;

    /// <summary>Creates the distribution; <paramref name="mean"/> and <paramref name="logVariance"/> are batch × d.</summary>
    public DiagonalGaussian(Graph graph, Tensor mean, Tensor logVariance)
    {
        Graph = graph ?? throw new ArgumentNullException(nameof(graph));
        Mean = mean ?? throw new ArgumentNullException(nameof(mean));
        LogVariance = logVariance ?? throw new ArgumentNullException(nameof(logVariance));
        if (mean.Rows != logVariance.Rows || mean.Cols != logVariance.Cols)
            throw new ArgumentException($"Mean {mean.ShapeString} and log-variance {logVariance.ShapeString} differ in shape.");
    }

    /// <summary>The graph the operations are recorded on.</summary>
    public Graph Graph { get; }

    /// <summary>Means (batch × d).</summary>
    public Tensor Mean { get; }

    /// <summary>Log-variances (batch × d).</summary>
    public Tensor LogVariance { get; }

    /// <summary>Reparameterised sample mean + exp(½ logVariance) ⊙ ε, ε ~ N(0, I) from <paramref name="random"/>.</summary>
    public Tensor Sample(RandomSource random) => Graph.Reparameterize(Mean, LogVariance, random);

    /// <summary>Per-row log-density of <paramref name="x"/> (batch × 1).</summary>
    public Tensor LogProb(Tensor x) => Graph.GaussianLogProb(x, Mean, LogVariance);

    /// <summary>Per-row KL(this ‖ <paramref name="other"/>) in closed form (batch × 1).</summary>
    public Tensor KlDivergence(DiagonalGaussian other) => Graph.GaussianKl(Mean, LogVariance, other.Mean, other.LogVariance);

    /// <summary>Per-row KL(this ‖ N(0, I)) in closed form (batch × 1).</summary>
    public Tensor KlToStandardNormal() => Graph.StandardNormalKl(Mean, LogVariance);

    /// <summary>Per-row differential entropy ½ Σ (log 2πe + logVariance) (batch × 1).</summary>
    public Tensor Entropy() => Graph.ScaleAdd(Graph.RowSum(LogVariance), 0.5f, 0.5f * LogVariance.Cols * LogTwoPiE);

    /// <summary>Per-row log-density of <paramref name="x"/> under N(0, I) (batch × 1).</summary>
    public static Tensor StandardLogProb(Graph graph, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.StandardNormalLogProb(x);
    }
}
