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
        ((x - mean).square() * (-logVar).exp() + logVar + Log2Pi).sum(1) * -0.5;

    /// <summary>log N(z; 0, I) per row.</summary>
    public static Tensor StandardLogDensity(Tensor z) => (z.square() + Log2Pi).sum(1) * -0.5;

    /// <summary>KL(N(mean, exp(logVar)) ‖ N(0, I)) per row: ½ Σ_j [exp(logVar_j) + mean_j² − 1 − logVar_j].</summary>
    public static Tensor KlToStandard(Tensor mean, Tensor logVar) =>
        (logVar.exp() + mean.square() - 1.0 - logVar).sum(1) * 0.5;

    /// <summary>z = mean + exp(½ logVar) · ε with ε ~ N(0, I) drawn from <paramref name="generator"/>.</summary>
    public static Tensor Sample(Tensor mean, Tensor logVar, Generator generator) =>
        mean + (logVar * 0.5).exp() * randn(mean.shape, dtype: mean.dtype, device: mean.device, generator: generator);
}
