using PvMonitor.Learning.Models.Cagem;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Tests.Models.Latent;
using TorchSharp;
using static PvMonitor.Learning.Tests.Models.Latent.HandNetwork;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Tests.Models.Cagem;

public class CagemNetworkTests
{
    // d = 2, K = 2 clusters, one hidden layer of 2 units, z1 of size 1, z2 of size 2.
    private static readonly SdgmOptions Tiny = new() { Z1 = 1, Z2 = 2, Hidden = 2, Layers = 1, LogVarMin = -3f, LogVarMax = 1f };
    private static readonly double[][] X = [[0.3, -0.5], [1.1, 0.4]];
    private const double Alpha = 0.7, W = 0.6;
    private const int K = 2;

    private static Tensor Input() => tensor(X.SelectMany(r => r).Select(v => (float)v).ToArray(), X.Length, 2);

    [Fact]
    public void The_labeled_objective_is_alpha_times_both_classifiers_log_likelihoods()
    {
        using var net = new CagemNetwork(2, K, Tiny, new Generator(1));
        var hand = new HandNetwork(net, Tiny.LogVarMin, Tiny.LogVarMax);
        long[] labels = [1, 0];
        float[] actual;
        using (no_grad()) actual = net.LabeledObjective(Input(), tensor(labels), Alpha, W, new Generator(7)).data<float>().ToArray();

        var g = new Generator(7);
        var eps1 = Noise(g, X.Length, 1);
        var eps2 = Noise(g, X.Length * K, 2);
        for (int b = 0; b < X.Length; b++)
        {
            var x = X[b];
            var (m1, v1) = hand.Gaussian("q_z1", x);
            var z1 = Sample(m1, v1, eps1[b]);
            var logQy = LogSoftmax(hand.Stack("q_y", Cat(x, z1)));
            // p̂(y|x) = Σ_ỹ q(ỹ|z1,x)·p(y|z2^ỹ), z2^ỹ ~ q(z2|x,ỹ,z1)
            var terms = new double[K];
            for (int t = 0; t < K; t++)
            {
                var (m2, v2) = hand.Gaussian("q_z2", Cat(x, z1, OneHot(t, K)));
                var z2 = Sample(m2, v2, eps2[b * K + t]);
                terms[t] = logQy[t] + LogSoftmax(hand.Stack("p_y", z2))[labels[b]];
            }

            double expected = Alpha * (logQy[labels[b]] + LogSumExp(terms));
            actual[b].Should().BeApproximately((float)expected, 1e-4f);
        }
    }

    [Fact]
    public void The_unlabeled_bound_matches_its_formula()
    {
        using var net = new CagemNetwork(2, K, Tiny, new Generator(1));
        var hand = new HandNetwork(net, Tiny.LogVarMin, Tiny.LogVarMax);
        float[] actual;
        using (no_grad()) actual = net.UnlabeledBound(Input(), W, new Generator(8)).data<float>().ToArray();

        var g = new Generator(8);
        var eps1 = Noise(g, X.Length, 1);
        var eps2 = Noise(g, X.Length * K, 2);
        for (int b = 0; b < X.Length; b++)
        {
            var x = X[b];
            var (m1, v1) = hand.Gaussian("q_z1", x);
            var z1 = Sample(m1, v1, eps1[b]);
            var logQy = LogSoftmax(hand.Stack("q_y", Cat(x, z1)));
            double expected = 0;
            for (int k = 0; k < K; k++)
            {
                var y = OneHot(k, K);
                var (m2, v2) = hand.Gaussian("q_z2", Cat(x, z1, y));
                var z2 = Sample(m2, v2, eps2[b * K + k]);
                var (pm1, pv1) = hand.Gaussian("p_z1", Cat(y, z2));
                var (mx, vx) = hand.Gaussian("p_x", Cat(z1, y));
                // F(x, y) = log p(x|y,z1) + w·[log p(z1|y,z2) − log q(z1|x) − KL(q(z2|x,y,z1) ‖ N(0, I))] + log p(y|z2)
                double f = LogN(x, mx, vx) + W * (LogN(z1, pm1, pv1) - LogN(z1, m1, v1) - KlStd(m2, v2)) + LogSoftmax(hand.Stack("p_y", z2))[k];
                expected += Math.Exp(logQy[k]) * (f - logQy[k]);
            }

            actual[b].Should().BeApproximately((float)expected, 1e-4f);
        }
    }

    [Fact]
    public void Labels_train_only_the_classifiers()
    {
        // The paper's rule: the labeled cross-entropies update q(y|z1,x) and p(y|z2) only, never the distributions over z1, z2 and x.
        using var net = new CagemNetwork(2, K, Tiny with { Hidden = 4 }, new Generator(3));
        net.LabeledObjective(Input(), tensor(new long[] { 1, 0 }), Alpha, W, new Generator(7)).sum().backward();
        var touched = net.named_parameters().Where(p => p.parameter.grad is { } grad && grad.abs().sum().item<float>() > 0)
            .Select(p => p.name.Split('.')[0]).Distinct().ToArray();
        touched.Should().BeEquivalentTo(["q_y", "p_y"]);
    }
}
