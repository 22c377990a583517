using PvMonitor.Learning.Torch;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PvMonitor.Learning.Models.Sdgm;

// Anomaly scores beyond U(x) (kept apart from the training bounds in SdgmNetwork.cs).
public sealed partial class SdgmNetwork
{
    /// <summary>
    /// BIVA's L^{&gt;k} bound (Maaløe et al. 2019, Sec. 3 eq. 3) with k = 1 for this two-level hierarchy, per row in nats:
    /// the lower latent z1 is drawn from the generative prior p(z1|y,z2) and only the upper variables (y, z2) come from the
    /// inference network, so the score rests on the high-level structure the model has learned rather than on how well
    /// z1 can be fitted to this particular x.
    /// <para>
    /// Eq. 3 is E_{p(z≤k|z&gt;k) q(z&gt;k|x)}[log p(x|z) p(z&gt;k) / q(z&gt;k|x)] with z&gt;k = (y, z2). Our inference network
    /// has no q(y, z2|x) of its own: q(y|z1,x) and q(z2|z1,y,x) both condition on z1. We therefore draw one
    /// z1_q ~ q(z1|x) only to condition them (it enters no density), and evaluate
    /// </para>
    /// <code>
    /// L^{>1}(x) = Σ_y q(y|z1_q,x) · [ log p(x|z1_p,z2,y) − KL(q(z2|z1_q,y,x) ‖ p(z2)) + log p(y) ] + H(q(y|z1_q,x)),
    ///   z1_q ~ q(z1|x),  z2 ~ q(z2|z1_q,y,x),  z1_p ~ p(z1|y,z2)      (one z2 and one z1_p per class y)
    /// </code>
    /// <para>
    /// The p(z1|y,z2) of eq. 3's numerator cancels against the sampling distribution, which is why neither log p(z1|y,z2)
    /// nor log q(z1|x) appears (unlike U(x), whose likelihood is taken at z1_q). The z2 term uses the closed-form KL as U(x)
    /// does (same expectation as log p(z2) − log q(z2|·), less noise). For every fixed z1_q, q(y|z1_q,x)·q(z2|z1_q,y,x) is a
    /// normalised distribution over (y, z2), so by Jensen the value is a lower bound on log p(x) for each z1_q, hence also in
    /// expectation; it is looser than U(x). y is summed exactly over all K classes in one batched pass (rows b·K + k).
    /// </para>
    /// <para>Noise is drawn from <paramref name="generator"/> in this order: z1_q (B × Z1), z2 ((B·K) × Z2), z1_p ((B·K) × Z1).</para>
    /// </summary>
    /// <param name="x">Standardised inputs (B × features).</param>
    /// <param name="generator">The seeded noise source.</param>
    /// <returns>L^{&gt;1}(x) per row (B), nats.</returns>
    internal Tensor HighLevelBound(Tensor x, Generator generator)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0];
        int k = Classes;
        var (m1, v1) = q_z1.forward(x);
        var z1q = Gaussian.Sample(m1, v1, generator);
        var logQy = log_softmax(ClassLogits(x, z1q), 1);

        var xK = x.repeat_interleave(k, 0);
        var z1qK = z1q.repeat_interleave(k, 0);
        var yK = eye(k, dtype: x.dtype, device: x.device).repeat(b, 1);
        var (m2, v2) = q_z2.forward(cat([xK, z1qK, yK], 1));
        var z2 = Gaussian.Sample(m2, v2, generator);
        var kl2 = KlZ2(m2, v2, z2); // closed form under N(0, I); Monte-Carlo under the VampPrior, as in U(x)
        var (pm1, pv1) = p_z1.forward(cat([yK, z2], 1));
        var z1p = Gaussian.Sample(pm1, pv1, generator);
        var (mx, vx) = p_x.forward(cat([z1p, z2, yK], 1));
        var logPx = Gaussian.LogDensity(xK, mx, vx);

        var perClass = (logPx - kl2).Plus(_logPy);
        return Categorical.ExpectationPlusEntropy(logQy, perClass).MoveToOuterDisposeScope();
    }
}
