using PvMonitor.Learning.Nn;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Models.Classifiers;

/// <summary>Builds the baseline networks: an MLP with ReLU + dropout hidden layers, or a single linear layer (MLR).</summary>
public static class ClassifierNetwork
{
    /// <summary>A network from <paramref name="features"/> inputs to <paramref name="classes"/> logits.</summary>
    public static Sequential Build(int features, int classes, ClassifierOptions options, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builder = new MlpBuilder(features);
        foreach (var units in options.HiddenLayers) builder.Hidden(units, Activation.Relu, dropout: options.Dropout);
        return builder.Output(classes).Build(random);
    }
}
