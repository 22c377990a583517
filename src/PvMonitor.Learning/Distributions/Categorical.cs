using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Distributions;

/// <summary>A batch of categorical distributions softmax(logits), one per row, recorded on a graph (nats).</summary>
public readonly struct Categorical
{
    /// <summary>Creates the distribution from unnormalised <paramref name="logits"/> (batch × classes).</summary>
    public Categorical(Graph graph, Tensor logits)
    {
        Graph = graph ?? throw new ArgumentNullException(nameof(graph));
        Logits = logits ?? throw new ArgumentNullException(nameof(logits));
    }

    /// <summary>The graph the operations are recorded on.</summary>
    public Graph Graph { get; }

    /// <summary>Unnormalised log-probabilities (batch × classes).</summary>
    public Tensor Logits { get; }

    /// <summary>Number of classes.</summary>
    public int Classes => Logits.Cols;

    /// <summary>Probabilities (batch × classes).</summary>
    public Tensor Probabilities() => Graph.Softmax(Logits);

    /// <summary>Log-probabilities (batch × classes).</summary>
    public Tensor LogProbabilities() => Graph.LogSoftmax(Logits);

    /// <summary>log p(label) for each row (batch × 1).</summary>
    public Tensor LogProb(ReadOnlySpan<int> labels) => Graph.Gather(Graph.LogSoftmax(Logits), labels);

    /// <summary>Entropy −Σ p log p for each row (batch × 1).</summary>
    public Tensor Entropy() => Graph.CategoricalEntropy(Logits);

    /// <summary>log(1 / <paramref name="classes"/>): the log-probability of any class under a uniform prior.</summary>
    public static float UniformLogProb(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        return -MathF.Log(classes);
    }
}
