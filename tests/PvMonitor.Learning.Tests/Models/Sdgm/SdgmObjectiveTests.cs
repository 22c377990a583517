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
}
