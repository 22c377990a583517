using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Nn;

/// <summary>Inverted dropout with probability <see cref="P"/> in training mode, identity in evaluation mode.</summary>
public sealed class Dropout : Layer
{
    private readonly RandomSource _random;

    /// <summary>Creates the layer; masks are drawn from <paramref name="random"/>.</summary>
    public Dropout(float p, RandomSource random)
    {
        if (!(p >= 0f && p < 1f)) throw new ArgumentOutOfRangeException(nameof(p), "Dropout probability must be in [0, 1).");
        P = p;
        _random = random ?? throw new ArgumentNullException(nameof(random));
    }

    /// <summary>Probability of zeroing an element.</summary>
    public float P { get; }

    /// <inheritdoc />
    public override Tensor Forward(Graph graph, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return Training && P > 0f ? graph.Dropout(x, P, _random) : x;
    }
}
