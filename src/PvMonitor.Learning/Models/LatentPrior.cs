namespace PvMonitor.Learning.Models;

/// <summary>The prior over a latent model's top latent (z2 of sdgm and cagem; <c>train --prior</c>).</summary>
public enum LatentPrior
{
    /// <summary>p(z) = N(0, I); its KL term in closed form (the default).</summary>
    Standard = 0,

    /// <summary>
    /// The VampPrior (Tomczak &amp; Welling 2018): p(z) = (1/K) Σ_k q(z | u_k), a mixture of the model's own posteriors at K
    /// learnable pseudo-inputs u_k; its KL term is Monte-Carlo (log q − log p at the sample).
    /// </summary>
    Vamp = 1,
}
