using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Nn;

/// <summary>
/// Builds a multilayer perceptron as a <see cref="Sequential"/>:
/// <c>new MlpBuilder(6).Hidden(50).Hidden(50).Output(10).Build(random)</c>. Each hidden block is
/// Linear → [BatchNorm1d] → activation → [Dropout]. Weights use He init before ReLU-family activations and Xavier
/// otherwise.
/// </summary>
public sealed class MlpBuilder
{
    private readonly int _inputs;
    private readonly List<(int Units, Activation Activation, bool BatchNorm, float Dropout)> _blocks = [];
    private (int Units, Activation Activation)? _output;

    /// <summary>Starts an MLP with <paramref name="inputs"/> input features.</summary>
    public MlpBuilder(int inputs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        _inputs = inputs;
    }

    /// <summary>Adds a hidden block (default ReLU, no batch norm, no dropout).</summary>
    public MlpBuilder Hidden(int units, Activation activation = Activation.Relu, bool batchNorm = false, float dropout = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        if (_output is not null) throw new InvalidOperationException("Hidden layers go before the output layer.");
        _blocks.Add((units, activation, batchNorm, dropout));
        return this;
    }

    /// <summary>Sets the output layer (default linear, no activation).</summary>
    public MlpBuilder Output(int units, Activation activation = Activation.Identity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        _output = (units, activation);
        return this;
    }

    /// <summary>Creates the network, drawing initial weights (and dropout masks later) from <paramref name="random"/>.</summary>
    public Sequential Build(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var net = new Sequential();
        int width = _inputs;
        foreach (var (units, activation, batchNorm, dropout) in _blocks)
        {
            net.Add(new Linear(width, units, random, InitFor(activation), bias: !batchNorm));
            if (batchNorm) net.Add(new BatchNorm1d(units));
            if (activation != Activation.Identity) net.Add(new ActivationLayer(activation));
            if (dropout > 0f) net.Add(new Dropout(dropout, random.Fork()));
            width = units;
        }

        if (_output is { } o)
        {
            net.Add(new Linear(width, o.Units, random, InitFor(o.Activation)));
            if (o.Activation != Activation.Identity) net.Add(new ActivationLayer(o.Activation));
        }

        return net;
    }

    private static WeightInit InitFor(Activation a) => a is Activation.Relu or Activation.LeakyRelu ? WeightInit.HeUniform : WeightInit.XavierUniform;
}
