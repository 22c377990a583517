using static TorchSharp.torch;

namespace PvMonitor.Learning.Models.Latent;

/// <summary>
/// A latent network with two continuous levels, z1 below z2 (sdgm, cagem; <see cref="ModelKind.IsHierarchical"/>), that
/// gives every term of its bound per level, for scores that mix levels (e.g. BIVA's L^{>k}).
/// </summary>
internal interface IHierarchicalLatentNetwork : ILatentNetwork
{
    /// <summary>
    /// Every term of log p(x, y, z1, z2) − log q(y, z1, z2 | x) for one sample per (row, class), rows b·K + k, y enumerated:
    /// z1 ~ q(z1|x) and z2 ~ q(z2|·, z1, y) — or, with <paramref name="z1FromPrior"/>, z2 from the posterior (given a
    /// posterior z1 sample) and then z1 redrawn from p(z1|y,z2), with log p(x|·) at that z1. Draws z1 then z2 (then z1 again)
    /// from <paramref name="generator"/>; without <paramref name="z1FromPrior"/> the same draws as
    /// <see cref="ILatentNetwork.ImportanceLogWeights"/>, whose value is LogPx + LogPy + Σ_levels (LogP − LogQ).
    /// </summary>
    LatentTerms Terms(Tensor x, TorchSharp.torch.Generator generator, bool z1FromPrior = false);
}
