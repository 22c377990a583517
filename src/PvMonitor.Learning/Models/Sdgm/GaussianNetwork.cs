using PvMonitor.Learning.Torch;
using PvMonitor.Learning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Models.Sdgm;

/// <summary>
/// An MLP whose output is a diagonal Gaussian: <c>body</c> (hidden layers), then a <c>mean</c> head and a
/// <c>logvar</c> head bounded to [min, max] by a scaled sigmoid.
/// </summary>
public sealed class GaussianNetwork : nn.Module<Tensor, (Tensor Mean, Tensor LogVar)>
{
    private readonly nn.Module<Tensor, Tensor> body;
    private readonly nn.Module<Tensor, Tensor> mean;
    private readonly nn.Module<Tensor, Tensor> logvar;
    private readonly double _min;
    private readonly double _max;

    /// <summary>Creates the network with weights drawn from <paramref name="generator"/>.</summary>
    public GaussianNetwork(int inputs, int outputs, SdgmOptions options, Generator generator) : base(nameof(GaussianNetwork))
    {
        body = LayerFactory.Stack(inputs, options.Hidden, options.Layers, options.Activation, outputs: null, generator);
        mean = LayerFactory.Linear(options.Hidden, outputs, beforeRelu: false, generator);
        logvar = LayerFactory.Linear(options.Hidden, outputs, beforeRelu: false, generator);
        _min = options.LogVarMin;
        _max = options.LogVarMax;
        RegisterComponents();
    }

    /// <summary>Mean and bounded log-variance per input row.</summary>
    public override (Tensor Mean, Tensor LogVar) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = body.forward(input);
        var m = mean.forward(h);
        var v = logvar.forward(h).sigmoid().Times(_max - _min).Plus(_min);
        return (m.MoveToOuterDisposeScope(), v.MoveToOuterDisposeScope());
    }
}
