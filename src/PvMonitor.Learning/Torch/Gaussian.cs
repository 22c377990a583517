using static TorchSharp.torch;

namespace PvMonitor.Learning.Torch;

/// <summary>
/// Diagonal-Gaussian densities and KLs summed over features, one value per row (nats), and the reparameterised sample.
/// </summary>
internal static class Gaussian
{
    /// <summary>log 2π.</summary>
    public const double Log2Pi = 1.8378770664093453;

    /// <summary>log N(x; mean, exp(logVar)) per row: −½ Σ_j [log 2π + logVar_j + (x_j − mean_j)² / exp(logVar_j)].</summary>
    public static Tensor LogDensity(Tensor x, Tensor mean, Tensor logVar) =>
        ((x - mean).square() * (-logVar).exp() + logVar).sum(1).Plus(Log2Pi * x.shape[1]).Times(-0.5);

    /// <summary>log N(z; 0, I) per row.</summary>
    public static Tensor StandardLogDensity(Tensor z) => z.square().sum(1).Plus(Log2Pi * z.shape[1]).Times(-0.5);

    /// <summary>KL(N(mean, exp(logVar)) ‖ N(0, I)) per row: ½ Σ_j [exp(logVar_j) + mean_j² − 1 − logVar_j].</summary>
    public static Tensor KlToStandard(Tensor mean, Tensor logVar) =>
        (logVar.exp() + mean.square() - logVar).sum(1).Minus(mean.shape[1]).Times(0.5);

    /// <summary>z = mean + exp(½ logVar) · ε with ε ~ N(0, I) drawn from <paramref name="generator"/>.</summary>
    public static Tensor Sample(Tensor mean, Tensor logVar, Generator generator) =>
        mean + logVar.Times(0.5).exp() * randn(mean.shape, dtype: mean.dtype, device: mean.device, generator: generator);

    /// <summary>
    /// log Σ_j w_j N(z; mean_j, exp(logVar_j)) per row of <paramref name="z"/> (N × D) for M diagonal components (means and
    /// log-variances M × D, log-weights M, normalised). The squared distances come from matrix products (N × M memory, not
    /// N × M × D): Σ_d (z_d − m_d)² / v_d = z² · (1/v)ᵀ − 2 z · (m/v)ᵀ + Σ_d m_d² / v_d.
    /// </summary>
    public static Tensor MixtureLogDensity(Tensor z, Tensor means, Tensor logVars, Tensor logWeights)
    {
        var precision = (-logVars).exp();
        var quadratic = z.square().matmul(precision.t()) - z.Times(2).matmul((means * precision).t()) + (means.square() * precision).sum(1).unsqueeze(0);
        var perComponent = (quadratic + logVars.sum(1).Plus(Log2Pi * z.shape[1]).unsqueeze(0)).Times(-0.5) + logWeights.unsqueeze(0);
        return perComponent.logsumexp(1);
    }

    /// <summary>Index of one category per row, drawn from normalised <paramref name="logWeights"/> (M) by the Gumbel-max trick.</summary>
    public static Tensor SampleCategory(Tensor logWeights, long rows, Generator generator)
    {
        var u = rand(new long[] { rows, logWeights.shape[0] }, dtype: logWeights.dtype, device: logWeights.device, generator: generator).ClampTo(1e-20, 1.0);
        return (logWeights.unsqueeze(0) - (-u.log()).log()).argmax(1);
    }
}
