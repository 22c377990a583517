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
    /// <remarks>A <see cref="Linear"/> followed by a ReLU <see cref="ActivationLayer"/> runs as one fused op (same result).</remarks>
    public override Tensor Forward(Graph graph, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(graph);
        for (int i = 0; i < _layers.Count; i++)
        {
            if (_layers[i] is Linear linear && i + 1 < _layers.Count && _layers[i + 1] is ActivationLayer { Activation: Activation.Relu })
            {
                x = graph.LinearRelu(x, linear.Weight, linear.Bias);
                i++;
                continue;
            }

            x = _layers[i].Forward(graph, x);
        }

        return x;
    }
}
