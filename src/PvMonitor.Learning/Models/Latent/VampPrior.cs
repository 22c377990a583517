using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PvMonitor.Learning.Models.Latent;

/// <summary>
/// The VampPrior (Tomczak &amp; Welling 2018, seeds/004) over the top latent z2 of a model whose inference is
/// q(z1|x) q(y|z1,x) q(z2|x,z1,y) (sdgm, cagem). Its one parameter, <c>pseudo_inputs</c> (K × d, standardised input
/// space), holds the learnable pseudo-inputs u_k. Following the paper's hierarchical variant (the top prior is the
/// mixture of the top posteriors at the pseudo-inputs) and marginalising the discrete y exactly, the prior is
/// <code>
/// p(z2) = (1/K) Σ_k Σ_y q(y | z̄1_k, u_k) · q(z2 | u_k, z̄1_k, y),   z̄1_k = E[q(z1 | u_k)]
/// </code>
/// a mixture of K·C diagonal Gaussians (C classes). z1 at a pseudo-input is its posterior mean (not a sample), so the
/// prior is deterministic given the weights. Pseudo-inputs start as N(0, 1) draws from the network's initialisation
/// generator; the trainer then replaces them with K seeded random training rows (<see cref="CopyFrom"/>) when there are
/// at least K rows.
/// </summary>
public sealed class VampPrior : nn.Module
{
    private readonly Parameter pseudo_inputs;

    /// <summary>Creates K = <paramref name="count"/> pseudo-inputs of <paramref name="features"/> values, N(0, 1) from <paramref name="generator"/>.</summary>
    public VampPrior(int count, int features, Generator generator) : base(nameof(VampPrior))
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "At least one pseudo-input is needed.");
        pseudo_inputs = new Parameter(randn(new long[] { count, features }, generator: generator));
        Count = count;
        RegisterComponents();
    }

    /// <summary>Pseudo-inputs K.</summary>
    public int Count { get; }

    /// <summary>The pseudo-inputs (K × d).</summary>
    internal Tensor PseudoInputs => pseudo_inputs;

    /// <summary>Overwrites the pseudo-inputs with <paramref name="rows"/> (K × d, standardised).</summary>
    internal void CopyFrom(Tensor rows)
    {
        using var noGrad = no_grad();
        pseudo_inputs.copy_(rows);
    }

    /// <summary>The mixture's K·C components: means, log-variances (K·C × Z2) and normalised log-weights (K·C), rows k·C + y.</summary>
    internal Mixture Components(GaussianNetwork qz1, nn.Module<Tensor, Tensor> qy, GaussianNetwork qz2, int classes)
    {
        var u = pseudo_inputs;
        long k = u.shape[0];
        var m1 = qz1.forward(u).Mean;
        var logQy = log_softmax(qy.forward(cat([u, m1], 1)), 1);
        var uK = u.repeat_interleave(classes, 0);
        var m1K = m1.repeat_interleave(classes, 0);
        var yK = eye(classes, dtype: u.dtype, device: u.device).repeat(k, 1);
        var (m, v) = qz2.forward(cat([uK, m1K, yK], 1));
        return new Mixture(m, v, logQy.reshape(-1).Minus(Math.Log(k)));
    }

    /// <summary>A mixture of diagonal Gaussians.</summary>
    internal readonly record struct Mixture(Tensor Means, Tensor LogVars, Tensor LogWeights)
    {
        /// <summary>log p(z) per row.</summary>
        public Tensor LogDensity(Tensor z) => Gaussian.MixtureLogDensity(z, Means, LogVars, LogWeights);

        /// <summary><paramref name="rows"/> samples: a component by its weight, then a reparameterised Gaussian draw.</summary>
        public Tensor Sample(long rows, Generator generator)
        {
            var index = Gaussian.SampleCategory(LogWeights, rows, generator);
            return Gaussian.Sample(Means.index_select(0, index), LogVars.index_select(0, index), generator);
        }
    }
}
