using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Nn;

/// <summary>
/// Batch normalisation over the batch for each feature. Training mode normalises with the batch mean and biased
/// variance and updates running statistics (running ← (1 − momentum)·running + momentum·batch, with the unbiased
/// variance, as PyTorch); evaluation mode uses the running statistics. Parameters <c>weight</c> (γ, ones) and
/// <c>bias</c> (β, zeros); buffers <c>running_mean</c> (zeros) and <c>running_var</c> (ones).
/// </summary>
public sealed class BatchNorm1d : Layer
{
    /// <summary>Creates the layer. Defaults: momentum 0.1, eps 1e-5.</summary>
    public BatchNorm1d(int features, float momentum = 0.1f, float eps = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        if (!(momentum >= 0f && momentum <= 1f)) throw new ArgumentOutOfRangeException(nameof(momentum));
        if (!(eps > 0f)) throw new ArgumentOutOfRangeException(nameof(eps));
        Features = features;
        Momentum = momentum;
        Eps = eps;
        Weight = RegisterParameter("weight", Tensor.Parameter(features));
        Weight.Span.Fill(1f);
        Bias = RegisterParameter("bias", Tensor.Parameter(features));
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(features));
        RunningVar = RegisterBuffer("running_var", Tensor.Full(features, 1f));
    }

    /// <summary>Number of features.</summary>
    public int Features { get; }

    /// <summary>Weight of the newest batch in the running statistics.</summary>
    public float Momentum { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public float Eps { get; }

    /// <summary>Scale γ.</summary>
    public Tensor Weight { get; }

    /// <summary>Shift β.</summary>
    public Tensor Bias { get; }

    /// <summary>Running mean used in evaluation mode.</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running (unbiased) variance used in evaluation mode.</summary>
    public Tensor RunningVar { get; }

    /// <inheritdoc />
    public override Tensor Forward(Graph graph, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (!Training) return graph.BatchNormEval(x, Weight, Bias, RunningMean, RunningVar, Eps);
        var y = graph.BatchNormTrain(x, Weight, Bias, Eps);
        var (mean, variance) = Graph.BatchStatistics(y);
        int n = x.Rows;
        float unbias = n > 1 ? n / (n - 1f) : 1f;
        var rm = RunningMean.Span;
        var rv = RunningVar.Span;
        var bm = mean.Span;
        var bv = variance.Span;
        for (int j = 0; j < Features; j++)
        {
            rm[j] = (1f - Momentum) * rm[j] + Momentum * bm[j];
            rv[j] = (1f - Momentum) * rv[j] + Momentum * bv[j] * unbias;
        }

        return y;
    }
}
