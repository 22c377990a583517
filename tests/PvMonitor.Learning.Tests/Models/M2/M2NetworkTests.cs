using PvMonitor.Learning.Models.M2;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Tests.Models.Latent;
using TorchSharp;
using static PvMonitor.Learning.Tests.Models.Latent.HandNetwork;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Tests.Models.M2;

public class M2NetworkTests
{
    // d = 2 features, K = 2 classes, one hidden layer of 2 units, z of size 1 (Z2).
    internal static readonly SdgmOptions Tiny = new() { Z1 = 1, Z2 = 1, Hidden = 2, Layers = 1, LogVarMin = -3f, LogVarMax = 1f };
    internal static readonly double[][] X = [[0.3, -0.5], [1.1, 0.4]];
    private const double Alpha = 0.7, W = 0.6;
    private const int K = 2;

    private static Tensor Input() => tensor(X.SelectMany(r => r).Select(v => (float)v).ToArray(), X.Length, 2);

    [Fact]
    public void The_labeled_objective_matches_its_formula()
    {
        using var net = new M2Network(2, K, Tiny, new Generator(1));
        var hand = new HandNetwork(net, Tiny.LogVarMin, Tiny.LogVarMax);
        long[] labels = [1, 0];
        float[] actual;
        using (no_grad()) actual = net.LabeledObjective(Input(), tensor(labels), Alpha, W, new Generator(7)).data<float>().ToArray();

        var eps = Noise(new Generator(7), X.Length, 1);
        for (int b = 0; b < X.Length; b++)
        {
            var x = X[b];
            var y = OneHot((int)labels[b], K);
            // L(x, y) = log p(x|y,z) − w·KL(q(z|x,y) ‖ N(0, I)) + log p(y) + α·log q(y|x),  z = μ + σ·ε
            var logQy = LogSoftmax(hand.Stack("q_y", x))[labels[b]];
            var (mz, vz) = hand.Gaussian("q_z", Cat(x, y));
            var z = Sample(mz, vz, eps[b]);
            var (mx, vx) = hand.Gaussian("p_x", Cat(z, y));
            double expected = LogN(x, mx, vx) - W * KlStd(mz, vz) + Math.Log(1.0 / K) + Alpha * logQy;
            actual[b].Should().BeApproximately((float)expected, 1e-4f);
        }
    }

    [Fact]
    public void The_unlabeled_bound_matches_its_formula()
    {
        using var net = new M2Network(2, K, Tiny, new Generator(1));
        var hand = new HandNetwork(net, Tiny.LogVarMin, Tiny.LogVarMax);
        float[] actual;
        using (no_grad()) actual = net.UnlabeledBound(Input(), W, new Generator(8)).data<float>().ToArray();

        var eps = Noise(new Generator(8), X.Length * K, 1); // one z per (row, class), rows b·K + k
        for (int b = 0; b < X.Length; b++)
        {
            var x = X[b];
            var logQy = LogSoftmax(hand.Stack("q_y", x));
            // U(x) = Σ_y q(y|x)·F(x, y) + H(q(y|x))
            double expected = 0;
            for (int k = 0; k < K; k++)
            {
                var y = OneHot(k, K);
                var (mz, vz) = hand.Gaussian("q_z", Cat(x, y));
                var z = Sample(mz, vz, eps[b * K + k]);
                var (mx, vx) = hand.Gaussian("p_x", Cat(z, y));
                double f = LogN(x, mx, vx) - W * KlStd(mz, vz) + Math.Log(1.0 / K);
                expected += Math.Exp(logQy[k]) * (f - logQy[k]);
            }

            actual[b].Should().BeApproximately((float)expected, 1e-4f);
        }
    }

    [Fact]
    public void The_consistency_term_is_the_classifiers_log_likelihood_of_the_decoded_prior_sample()
    {
        using var net = new M2Network(2, K, Tiny, new Generator(1));
        var hand = new HandNetwork(net, Tiny.LogVarMin, Tiny.LogVarMax);
        float[] actual;
        using (no_grad()) actual = net.ConsistencyLogLikelihood(3, new Generator(9)).data<float>().ToArray();

        var eps = Noise(new Generator(9), K * 3, 1); // z ~ N(0, I), rows class-major
        for (int r = 0; r < K * 3; r++)
        {
            int y = r / 3;
            // log q(y | x̂), x̂ = E[p(x | y, z)]
            var xHat = hand.Gaussian("p_x", Cat(eps[r], OneHot(y, K))).Mean;
            actual[r].Should().BeApproximately((float)LogSoftmax(hand.Stack("q_y", xHat))[y], 1e-4f);
        }
    }
}
