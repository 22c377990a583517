using PvMonitor.Learning.Torch;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PvMonitor.Learning.Models.Classifiers;

/// <summary>
/// The supervised baselines: an MLP with ReLU hidden layers and dropout after each (the paper's baseline, shaped like
/// the SDGM's q(y|z1,x)), or, with no hidden layers, multinomial logistic regression (MLR). Layers are
/// <c>layers.0</c>, <c>layers.1</c>, …; dropout draws from <see cref="DropoutGenerator"/> so training is reproducible.
/// </summary>
public sealed class ClassifierNetwork : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> layers;
    private readonly double _dropout;

    /// <summary>A network from <paramref name="features"/> inputs to <paramref name="classes"/> logits, weights drawn from <paramref name="generator"/>.</summary>
    public ClassifierNetwork(int features, int classes, ClassifierOptions options, Generator generator) : base(nameof(ClassifierNetwork))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        layers = new TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>>();
        int width = features;
        foreach (var units in options.HiddenLayers)
        {
            layers.Add(LayerFactory.Linear(width, units, beforeRelu: true, generator));
            width = units;
        }

        layers.Add(LayerFactory.Linear(width, classes, beforeRelu: false, generator));
        _dropout = options.Dropout;
        RegisterComponents();
    }

    /// <summary>Source of dropout masks while training (null = no dropout).</summary>
    public Generator? DropoutGenerator { get; set; }

    /// <summary>Class logits (B × K).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        for (int i = 0; i < layers.Count - 1; i++)
        {
            h = relu(layers[i].forward(h));
            if (training && _dropout > 0 && DropoutGenerator is { } g)
            {
                var keep = rand(h.shape, dtype: h.dtype, device: h.device, generator: g).AtLeast(_dropout).to_type(h.dtype);
                h = (h * keep).Over(1 - _dropout);
            }
        }

        return layers[layers.Count - 1].forward(h).MoveToOuterDisposeScope();
    }
}
