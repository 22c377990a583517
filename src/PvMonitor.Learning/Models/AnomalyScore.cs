namespace PvMonitor.Learning.Models;

/// <summary>
/// Which per-row bound on log p(x) (nats; lower = more anomalous) flags anomalies. Names on the command line and in
/// configuration: <c>elbo</c>, <c>iw-elbo</c>, <c>lk</c> (see <see cref="AnomalyScores"/>).
/// </summary>
public enum AnomalyScore
{
    /// <summary><c>elbo</c>: the unlabeled ELBO U(x) with y summed over all classes (Appendix D eq. 6); the default.</summary>
    Elbo = 0,

    /// <summary><c>iw-elbo</c>: the importance-weighted bound with <see cref="AnomalyScores.ImportanceSamples"/> samples
    /// (Burda et al.), tighter than U(x).</summary>
    IwElbo = 1,

    /// <summary><c>lk</c>: BIVA's L^{&gt;k} bound (k = 1): z1 from the prior p(z1|y,z2), (y, z2) from the inference network,
    /// so only the upper latent's high-level structure decides.</summary>
    Lk = 2,
}
