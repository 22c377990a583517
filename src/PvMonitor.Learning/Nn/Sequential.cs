using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Nn;

/// <summary>Layers applied in order; child names are their indices (<c>0.weight</c>, <c>2.bias</c> …).</summary>
public sealed class Sequential : Layer
{
    private readonly List<Layer> _layers = [];

    /// <summary>Creates the container with <paramref name="layers"/>.</summary>
    public Sequential(params IEnumerable<Layer> layers)
    {
        foreach (var l in layers) Add(l);
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Appends a layer.</summary>
    public Sequential Add(Layer layer)
    {
        RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
        return this;
    }

    /// <inheritdoc />
    public override Tensor Forward(Graph graph, Tensor x)
    {
        for (int i = 0; i < _layers.Count; i++) x = _layers[i].Forward(graph, x);
        return x;
    }
}
