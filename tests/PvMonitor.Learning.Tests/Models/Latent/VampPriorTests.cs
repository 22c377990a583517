using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Cagem;
using PvMonitor.Learning.Models.Latent;
using PvMonitor.Learning.Models.Sdgm;
using TorchSharp;
using static PvMonitor.Learning.Tests.Models.Latent.HandNetwork;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Tests.Models.Latent;

public class VampPriorTests
{
    private static readonly SdgmOptions Tiny = new() { Z1 = 1, Z2 = 2, Hidden = 2, Layers = 1, LogVarMin = -3f, LogVarMax = 1f, Prior = LatentPrior.Vamp, PseudoInputs = 1 };
    private static readonly double[] U = [0.8, -0.3];
    private const int K = 2;

    /// <summary>log q(z2|u) = log Σ_y q(y|z̄1,u)·q(z2|u,z̄1,y), z̄1 = E[q(z1|u)]: the one-component VampPrior's density.</summary>
    private static double LogQz2GivenU(HandNetwork hand, double[] z2)
    {
        var (m1, _) = hand.Gaussian("q_z1", U);
        var logQy = LogSoftmax(hand.Stack("q_y", Cat(U, m1)));
        return LogSumExp(Enumerable.Range(0, K).Select(y =>
        {
            var (m, v) = hand.Gaussian("q_z2", Cat(U, m1, OneHot(y, K)));
            return logQy[y] + LogN(z2, m, v);
        }));
    }

    [Fact]
    public void With_one_pseudo_input_u_the_sdgm_prior_is_the_posterior_at_u()
    {
        using var net = new SdgmNetwork(2, K, Tiny, new Generator(1));
        PriorIsThePosteriorAtU(net, net.Prior!, new HandNetwork(net, Tiny.LogVarMin, Tiny.LogVarMax));
    }

    [Fact]
    public void With_one_pseudo_input_u_the_cagem_prior_is_the_posterior_at_u()
    {
        using var net = new CagemNetwork(2, K, Tiny, new Generator(1));
        PriorIsThePosteriorAtU(net, net.Prior!, new HandNetwork(net, Tiny.LogVarMin, Tiny.LogVarMax));
    }

    private static void PriorIsThePosteriorAtU(IHierarchicalLatentNetwork net, VampPrior prior, HandNetwork hand)
    {
        prior.CopyFrom(tensor(U.Select(v => (float)v).ToArray(), 1, 2));
        using var x = tensor(new[] { 0.3f, -0.5f, 1.1f, 0.4f }, 2, 2);
        using var mode = no_grad();
        var z2 = net.Terms(x, new Generator(4)).Levels[1];
        var samples = z2.Sample.data<float>().ToArray();
        var logP = z2.LogP.data<float>().ToArray();
        for (int r = 0; r < logP.Length; r++)
            logP[r].Should().BeApproximately((float)LogQz2GivenU(hand, [samples[2 * r], samples[2 * r + 1]]), 1e-3f);
    }

    [Fact]
    public void The_sdgm_high_level_score_takes_its_z2_term_from_the_vamp_prior()
    {
        // L^{>1}'s z2 term is KL(q(z2|·) ‖ p(z2)) against the model's prior: moving the pseudo-input moves the score (it had
        // used N(0, I) whatever the prior).
        using var net = new SdgmNetwork(2, K, Tiny, new Generator(1));
        using var x = tensor(new[] { 0.3f, -0.5f, 1.1f, 0.4f }, 2, 2);
        using var mode = no_grad();
        net.Prior!.CopyFrom(tensor(U.Select(v => (float)v).ToArray(), 1, 2));
        var near = net.HighLevelBound(x, new Generator(4)).data<float>().ToArray();
        net.Prior.CopyFrom(tensor(new[] { 40f, -40f }, 1, 2));
        var far = net.HighLevelBound(x, new Generator(4)).data<float>().ToArray();

        far.Zip(near, (f, n) => Math.Abs(f - n)).Should().OnlyContain(d => d > 1e-3, "the score must depend on the prior it is computed under");
    }

    [Fact]
    public void The_sdgm_bound_under_the_vamp_prior_uses_the_monte_carlo_kl()
    {
        // U(x) as for the standard prior, but KL(q(z2|·) ‖ p(z2)) replaced by log q(z2|·) − log p(z2) at the sample, with
        // p(z2) = q(z2|u) for the one pseudo-input u.
        var options = Sdgm.SdgmObjectiveTests.TinyOptions with { Prior = LatentPrior.Vamp, PseudoInputs = 1 };
        using var net = new SdgmNetwork(2, K, options, new Generator(1));
        var hand = new HandNetwork(net, options.LogVarMin, options.LogVarMax);
        net.Prior!.CopyFrom(tensor(U.Select(v => (float)v).ToArray(), 1, 2));
        var rows = Sdgm.SdgmObjectiveTests.Rows;
        float[] actual;
        using (no_grad()) actual = net.UnlabeledBound(tensor(rows.SelectMany(r => r).Select(v => (float)v).ToArray(), 2, 2), 0.6, new Generator(8)).data<float>().ToArray();
        var expected = Sdgm.SdgmObjectiveTests.U(hand, rows, new Generator(8), z2 => LogQz2GivenU(hand, z2));
        for (int b = 0; b < rows.Length; b++) actual[b].Should().BeApproximately((float)expected[b], 1e-3f);
    }

    [Fact]
    public void The_mixture_density_equals_the_direct_log_sum_exp()
    {
        using var g = new Generator(3);
        using var z = randn(new long[] { 5, 3 }, generator: g);
        using var means = randn(new long[] { 4, 3 }, generator: g);
        using var logVars = randn(new long[] { 4, 3 }, generator: g) * 0.5;
        using var logWeights = torch.nn.functional.log_softmax(randn(new long[] { 4 }, generator: g), 0);
        var actual = PvMonitorGaussian.Mixture(z, means, logVars, logWeights);
        var zs = z.data<float>().ToArray();
        var ms = means.data<float>().ToArray();
        var vs = logVars.data<float>().ToArray();
        var ws = logWeights.data<float>().ToArray();
        for (int r = 0; r < 5; r++)
        {
            var row = zs.Skip(r * 3).Take(3).Select(v => (double)v).ToArray();
            var expected = LogSumExp(Enumerable.Range(0, 4).Select(j =>
                ws[j] + LogN(row, ms.Skip(j * 3).Take(3).Select(v => (double)v).ToArray(), vs.Skip(j * 3).Take(3).Select(v => (double)v).ToArray())));
            actual[r].Should().BeApproximately((float)expected, 1e-4f);
        }
    }

    [Fact]
    public void The_vamp_prior_adds_only_its_pseudo_inputs_to_the_state_dict()
    {
        using var standard = new SdgmNetwork(3, 2, new SdgmOptions(), new Generator(1));
        using var vamp = new SdgmNetwork(3, 2, new SdgmOptions { Prior = LatentPrior.Vamp, PseudoInputs = 7 }, new Generator(1));
        vamp.state_dict().Keys.Except(standard.state_dict().Keys).Should().Equal("prior.pseudo_inputs");
        vamp.state_dict()["prior.pseudo_inputs"].shape.Should().Equal(7, 3);
        // The standard prior's weights are drawn first, so they do not move when the prior changes.
        standard.state_dict()["p_x.mean.weight"].data<float>().ToArray().Should().Equal(vamp.state_dict()["p_x.mean.weight"].data<float>().ToArray());
    }
}

/// <summary>Reaches the library's internal Gaussian helpers.</summary>
internal static class PvMonitorGaussian
{
    public static float[] Mixture(Tensor z, Tensor means, Tensor logVars, Tensor logWeights) =>
        PvMonitor.Learning.Torch.Gaussian.MixtureLogDensity(z, means, logVars, logWeights).data<float>().ToArray();
}
