using static TorchSharp.torch;

namespace PvMonitor.Learning.Models.Latent;

/// <summary>
/// One continuous latent level of a hierarchical model (sdgm, cagem) for one sample, per (row, class), rows b·K + k:
/// the sample, log q of it under the inference model and log p under the generative model (nats). For BIVA-style scores
/// that mix the prior on lower levels with the posterior on upper ones.
/// </summary>
/// <param name="Name">"z1" or "z2".</param>
/// <param name="Sample">The sample ((B·K) × size).</param>
/// <param name="LogQ">log q of the sample ((B·K)).</param>
/// <param name="LogP">log p of the sample given the levels above and y ((B·K)).</param>
internal readonly record struct LatentLevel(string Name, Tensor Sample, Tensor LogQ, Tensor LogP);
