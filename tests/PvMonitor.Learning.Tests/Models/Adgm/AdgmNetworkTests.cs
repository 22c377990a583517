using PvMonitor.Learning.Models.Adgm;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Tests.Models.Latent;
using TorchSharp;
using static PvMonitor.Learning.Tests.Models.Latent.HandNetwork;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Tests.Models.Adgm;

public class AdgmNetworkTests
{
    // d = 2, K = 2, one hidden layer of 2 units, auxiliary a of size 1 (Z1), z of size 2 (Z2).
    private static readonly SdgmOptions Tiny = new() { Z1 = 1, Z2 = 2, Hidden = 2, Layers = 1, LogVarMin = -3f, LogVarMax = 1f };
    private static readonly double[][] X = [[0.3, -0.5], [1.1, 0.4]];
    private const double Alpha = 0.7, W = 0.6;
    private const int K = 2;

    private static Tensor Input() => tensor(X.SelectMany(r => r).Select(v => (float)v).ToArray(), X.Length, 2);

    /// <summary>F(x, y) = log p(x|z,y) + w·[log p(a|x,y,z) − log q(a|x) − KL(q(z|a,y,x) ‖ p(z))] + log p(y).</summary>
    private static double F(HandNetwork hand, double[] x, double[] a, int label, double[] epsZ)
    {
        var y = OneHot(label, K);
        var (ma, va) = hand.Gaussian("q_a", x);
        var (mz, vz) = hand.Gaussian("q_z", Cat(x, a, y));
        var z = Sample(mz, vz, epsZ);
        var (mx, vx) = hand.Gaussian("p_x", Cat(z, y));
        var (pma, pva) = hand.Gaussian("p_a", Cat(x, z, y));
        return LogN(x, mx, vx) + W * (LogN(a, pma, pva) - LogN(a, ma, va) - KlStd(mz, vz)) + Math.Log(1.0 / K);
    }

    [Fact]
    public void The_labeled_objective_matches_its_formula()
    {
        using var net = new AdgmNetwork(2, K, Tiny, new Generator(1));
        var hand = new HandNetwork(net, Tiny.LogVarMin, Tiny.LogVarMax);
        long[] labels = [1, 0];
        float[] actual;
        using (no_grad()) actual = net.LabeledObjective(Input(), tensor(labels), Alpha, W, new Generator(7)).data<float>().ToArray();

        var g = new Generator(7);
        var epsA = Noise(g, X.Length, 1);
        var epsZ = Noise(g, X.Length, 2);
        for (int b = 0; b < X.Length; b++)
        {
            var (ma, va) = hand.Gaussian("q_a", X[b]);
            var a = Sample(ma, va, epsA[b]);
            var logQy = LogSoftmax(hand.Stack("q_y", Cat(X[b], a)))[labels[b]];
            double expected = F(hand, X[b], a, (int)labels[b], epsZ[b]) + Alpha * logQy;
            actual[b].Should().BeApproximately((float)expected, 1e-4f);
        }
    }

    [Fact]
    public void The_unlabeled_bound_matches_its_formula()
    {
        using var net = new AdgmNetwork(2, K, Tiny, new Generator(1));
        var hand = new HandNetwork(net, Tiny.LogVarMin, Tiny.LogVarMax);
        float[] actual;
        using (no_grad()) actual = net.UnlabeledBound(Input(), W, new Generator(8)).data<float>().ToArray();

        var g = new Generator(8);
        var epsA = Noise(g, X.Length, 1);
        var epsZ = Noise(g, X.Length * K, 2);
        for (int b = 0; b < X.Length; b++)
        {
            var (ma, va) = hand.Gaussian("q_a", X[b]);
            var a = Sample(ma, va, epsA[b]);
            var logQy = LogSoftmax(hand.Stack("q_y", Cat(X[b], a)));
            // U(x) = Σ_y q(y|a,x)·F(x, y) + H(q(y|a,x))
            double expected = 0;
            for (int k = 0; k < K; k++) expected += Math.Exp(logQy[k]) * (F(hand, X[b], a, k, epsZ[b * K + k]) - logQy[k]);
            actual[b].Should().BeApproximately((float)expected, 1e-4f);
        }
    }
}
