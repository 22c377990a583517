using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PvMonitor.Learning.Models;

/// <summary>Builds the fully connected stacks every network is made of, initialised from a seeded generator.</summary>
internal static class LayerFactory
{
    /// <summary>
    /// A linear layer with He-uniform weights U(±√(6/fan_in)) for layers followed by ReLU-family activations, Xavier-uniform
    /// U(±√(6/(fan_in + fan_out))) otherwise, and zero bias.
    /// </summary>
    public static TorchSharp.Modules.Linear Linear(int inputs, int outputs, bool beforeRelu, Generator generator)
    {
        var layer = nn.Linear(inputs, outputs);
        double bound = beforeRelu ? Math.Sqrt(6.0 / inputs) : Math.Sqrt(6.0 / (inputs + outputs));
        using (no_grad())
        {
            layer.weight!.uniform_(-bound, bound, generator);
            layer.bias!.zero_();
        }

        return layer;
    }

    /// <summary>The activation module for hidden layers.</summary>
    public static Module<Tensor, Tensor> Activation(HiddenActivation activation) => activation switch
    {
        HiddenActivation.Relu => ReLU(),
        HiddenActivation.LeakyRelu => LeakyReLU(0.01),
        HiddenActivation.Tanh => Tanh(),
        _ => Identity(),
    };

    /// <summary>
    /// <paramref name="layers"/> × (Linear → activation) from <paramref name="inputs"/> to <paramref name="hidden"/> units,
    /// then an optional output Linear; children are named 0, 1, 2, … as PyTorch's <c>nn.Sequential</c> names them.
    /// </summary>
    public static TorchSharp.Modules.Sequential Stack(int inputs, int hidden, int layers, HiddenActivation activation, int? outputs, Generator generator)
    {
        var children = new List<(string, Module<Tensor, Tensor>)>();
        int width = inputs;
        bool relu = activation is HiddenActivation.Relu or HiddenActivation.LeakyRelu;
        for (int i = 0; i < layers; i++)
        {
            children.Add((children.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Linear(width, hidden, relu, generator)));
            children.Add((children.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Activation(activation)));
            width = hidden;
        }

        if (outputs is int o) children.Add((children.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Linear(width, o, beforeRelu: false, generator)));
        return Sequential(children);
    }
}
