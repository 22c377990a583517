using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Tests.Models.Latent;
using TorchSharp;
using static PvMonitor.Learning.Tests.Models.Latent.HandNetwork;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Tests.Models.Sdgm;

public class SdgmObjectiveTests
{
    // d = 2, K = 2, one hidden layer of 2 units, z1 of size 1, z2 of size 2.
    private static readonly SdgmOptions Tiny = new() { Z1 = 1, Z2 = 2, Hidden = 2, Layers = 1, LogVarMin = -3f, LogVarMax = 1f };
    private static readonly double[][] X = [[0.3, -0.5], [1.1, 0.4]];
    private const double Alpha = 0.7, W = 0.6;
    private const int K = 2;

    [Fact]
    public void The_labeled_objective_matches_its_formula()
    {
        using var net = new SdgmNetwork(2, K, Tiny, new Generator(1));
        var hand = new HandNetwork(net, Tiny.LogVarMin, Tiny.LogVarMax);
        long[] labels = [1, 0];
        float[] actual;
        using (no_grad())
            actual = net.LabeledObjective(tensor(X.SelectMany(r => r).Select(v => (float)v).ToArray(), 2, 2), tensor(labels), Alpha, W, new Generator(7)).data<float>().ToArray();

        var g = new Generator(7);
        var eps1 = Noise(g, X.Length, 1);
        var eps2 = Noise(g, X.Length, 2);
        for (int b = 0; b < X.Length; b++)
        {
            var x = X[b];
            var y = OneHot((int)labels[b], K);
            var (m1, v1) = hand.Gaussian("q_z1", x);
            var z1 = Sample(m1, v1, eps1[b]);
            var logQy = LogSoftmax(hand.Stack("q_y", Cat(x, z1)))[labels[b]];
            var (m2, v2) = hand.Gaussian("q_z2", Cat(x, z1, y));
            var z2 = Sample(m2, v2, eps2[b]);
            var (pm1, pv1) = hand.Gaussian("p_z1", Cat(y, z2));
            var (mx, vx) = hand.Gaussian("p_x", Cat(z1, z2, y));
            // L(x, y) = log p(x|z1,z2,y) + w·[log p(z1|y,z2) − log q(z1|x) − KL(q(z2|z1,y,x) ‖ N(0, I))] + log p(y) + α·log q(y|z1,x)
            double expected = LogN(x, mx, vx) + W * (LogN(z1, pm1, pv1) - LogN(z1, m1, v1) - KlStd(m2, v2)) + Math.Log(1.0 / K) + Alpha * logQy;
            actual[b].Should().BeApproximately((float)expected, 1e-4f);
        }
    }

    /// <summary>F(x, y) of the SDGM for given z1 and ε of z2; <paramref name="logPz2"/> null = the closed-form KL against N(0, I),
    /// else the Monte-Carlo term log q(z2|·) − log p(z2) with that log p.</summary>
    internal static double F(HandNetwork hand, double[] x, double[] z1, int label, double[] eps2, Func<double[], double>? logPz2 = null)
    {
        var y = OneHot(label, K);
        var (m1, v1) = hand.Gaussian("q_z1", x);
        var (m2, v2) = hand.Gaussian("q_z2", Cat(x, z1, y));
        var z2 = Sample(m2, v2, eps2);
        var (pm1, pv1) = hand.Gaussian("p_z1", Cat(y, z2));
        var (mx, vx) = hand.Gaussian("p_x", Cat(z1, z2, y));
        double kl2 = logPz2 is null ? KlStd(m2, v2) : LogN(z2, m2, v2) - logPz2(z2);
        return LogN(x, mx, vx) + W * (LogN(z1, pm1, pv1) - LogN(z1, m1, v1) - kl2) + Math.Log(1.0 / K);
    }

    /// <summary>U(x) = Σ_y q(y|z1,x)·F(x, y) + H(q(y|z1,x)) from the network's draws: z1 (B × Z1), then one z2 per (row, class).</summary>
    internal static double[] U(HandNetwork hand, double[][] xs, Generator generator, Func<double[], double>? logPz2 = null)
    {
        var eps1 = Noise(generator, xs.Length, 1);
        var eps2 = Noise(generator, xs.Length * K, 2);
        var result = new double[xs.Length];
        for (int b = 0; b < xs.Length; b++)
        {
            var (m1, v1) = hand.Gaussian("q_z1", xs[b]);
            var z1 = Sample(m1, v1, eps1[b]);
            var logQy = LogSoftmax(hand.Stack("q_y", Cat(xs[b], z1)));
            for (int k = 0; k < K; k++) result[b] += Math.Exp(logQy[k]) * (F(hand, xs[b], z1, k, eps2[b * K + k], logPz2) - logQy[k]);
        }

        return result;
    }

    [Fact]
    public void The_unlabeled_bound_matches_its_formula()
    {
        using var net = new SdgmNetwork(2, K, Tiny, new Generator(1));
        var hand = new HandNetwork(net, Tiny.LogVarMin, Tiny.LogVarMax);
        float[] actual;
        using (no_grad()) actual = net.UnlabeledBound(tensor(X.SelectMany(r => r).Select(v => (float)v).ToArray(), 2, 2), W, new Generator(8)).data<float>().ToArray();
        var expected = U(hand, X, new Generator(8));
        for (int b = 0; b < X.Length; b++) actual[b].Should().BeApproximately((float)expected[b], 1e-4f);
    }

    internal static SdgmOptions TinyOptions => Tiny;

    internal static double[][] Rows => X;
}
