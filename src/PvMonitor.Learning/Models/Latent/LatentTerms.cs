using static TorchSharp.torch;

namespace PvMonitor.Learning.Models.Latent;

/// <summary>
/// Every term of log p(x, y, z1, z2) − log q(y, z1, z2 | x) for one sample per (row, class), rows b·K + k, of a
/// hierarchical model (sdgm, cagem): the latent levels bottom-up, log p(x|·), log p(y|·) and log q(y|·). Summing
/// LogPx + LogPy + Σ (LogP − LogQ) gives <see cref="ILatentNetwork.ImportanceLogWeights"/>.
/// </summary>
/// <param name="Levels">z1 then z2.</param>
/// <param name="LogPx">log p(x | latents, y).</param>
/// <param name="LogPy">log p(y) (sdgm, uniform) or log p(y | z2) (cagem).</param>
/// <param name="LogQy">log q(y | z1, x).</param>
internal readonly record struct LatentTerms(IReadOnlyList<LatentLevel> Levels, Tensor LogPx, Tensor LogPy, Tensor LogQy);
