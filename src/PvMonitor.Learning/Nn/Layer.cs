using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Nn;

/// <summary>A module with one input and one output, recorded on a <see cref="Graph"/>.</summary>
public abstract class Layer : Module
{
    /// <summary>Computes the layer on <paramref name="x"/> (batch × features).</summary>
    public abstract Tensor Forward(Graph graph, Tensor x);
}
