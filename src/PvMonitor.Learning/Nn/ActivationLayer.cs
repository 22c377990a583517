using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Nn;

/// <summary>An activation function as a layer (no parameters).</summary>
public sealed class ActivationLayer(Activation activation) : Layer
{
    /// <summary>The function applied.</summary>
    public Activation Activation { get; } = activation;

    /// <inheritdoc />
    public override Tensor Forward(Graph graph, Tensor x) => Apply(graph, x, Activation);

    /// <summary>Applies <paramref name="activation"/> to <paramref name="x"/> on <paramref name="graph"/>.</summary>
    public static Tensor Apply(Graph graph, Tensor x, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return activation switch
        {
            Activation.Identity => x,
            Activation.Relu => graph.Relu(x),
            Activation.LeakyRelu => graph.LeakyRelu(x),
            Activation.Tanh => graph.Tanh(x),
            Activation.Sigmoid => graph.Sigmoid(x),
            Activation.Softplus => graph.Softplus(x),
            _ => throw new ArgumentOutOfRangeException(nameof(activation)),
        };
    }
}
