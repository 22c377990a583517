using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Distributions;
using PvMonitor.Learning.Nn;
using PvMonitor.Learning.Optim;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Bench.Learning;

/// <summary>
/// An SDGM-shaped workload (not the model itself): the unlabeled bound of a skip deep generative model with
/// auxiliary a and latent z, 6 inputs, hidden 2×50 ReLU, |a| = |z| = 8, K = 10 classes, every class enumerated
/// (B·K tiled rows). Used to check that the engine's per-op cost and pooling suit that model.
/// </summary>
internal sealed class SdgmShapedWorkload
{
    private const int Features = 6, Latent = 8, Classes = 10, Hidden = 50;
    private readonly Sequential _qa, _qy, _qz, _pa, _px;
    private readonly RandomSource _random = new(5);
    private readonly Adam _adam;

    public SdgmShapedWorkload()
    {
        var r = new RandomSource(1);
        Sequential Net(int inputs, int outputs) => new MlpBuilder(inputs).Hidden(Hidden).Hidden(Hidden).Output(outputs).Build(r);
        _qa = Net(Features, 2 * Latent);
        _qy = Net(Features + Latent, Classes);
        _qz = Net(Features + Classes + Latent, 2 * Latent);
        _pa = Net(Features + Classes + Latent, 2 * Latent);
        _px = Net(Latent + Classes + Latent, 2 * Features);
        _adam = new Adam([.. _qa.NamedParameters(), .. Prefixed("qy", _qy), .. Prefixed("qz", _qz), .. Prefixed("pa", _pa), .. Prefixed("px", _px)]);
    }

    private static IEnumerable<KeyValuePair<string, Tensor>> Prefixed(string p, Module m) => m.NamedParameters().Select(kv => new KeyValuePair<string, Tensor>(p + "." + kv.Key, kv.Value));

    private DiagonalGaussian Gaussian(Graph g, Tensor h) => new(g, g.SliceCols(h, 0, h.Cols / 2), g.Clamp(g.SliceCols(h, h.Cols / 2, h.Cols / 2), -8f, 8f));

    /// <summary>Mean unlabeled loss −U(x) for a batch (B rows, B·K tiled rows inside) and the class posterior.</summary>
    public Tensor UnlabeledLoss(Graph g, Tensor x, out Tensor classPosterior)
    {
        int b = x.Rows;
        var qa = Gaussian(g, _qa.Forward(g, x));
        var a = qa.Sample(_random);
        var qy = new Categorical(g, _qy.Forward(g, g.Concat(x, a)));
        classPosterior = qy.Probabilities();

        var xk = g.RepeatRows(x, Classes);
        var ak = g.RepeatRows(a, Classes);
        var yk = g.EnumerateClasses(b, Classes);
        var qz = Gaussian(g, _qz.Forward(g, g.Concat(xk, yk, ak)));
        var z = qz.Sample(_random);
        var pa = Gaussian(g, _pa.Forward(g, g.Concat(xk, yk, z)));
        var px = Gaussian(g, _px.Forward(g, g.Concat(ak, yk, z)));

        // L(x, y) = log p(x|a,y,z) + log p(a|x,y,z) + log p(z) + log p(y) − log q(a|x) − log q(z|a,x,y)
        var logPx = px.LogProb(xk);
        var logPa = pa.LogProb(ak);
        var logPz = DiagonalGaussian.StandardLogProb(g, z);
        var logQz = qz.LogProb(z);
        var logQa = g.RepeatRows(qa.LogProb(a), Classes);
        var bound = g.AddScalar(g.Sub(g.Add(g.Add(logPx, logPa), g.Sub(logPz, logQz)), logQa), Categorical.UniformLogProb(Classes));
        var perClass = g.Reshape(bound, b, Classes);
        var u = g.RowSum(g.Mul(classPosterior, perClass));
        return g.Mean(g.WeightedSum(u, -1f, qy.Entropy(), -1f));
    }

    public void TrainStep(Graph g, float[] batch, int rows)
    {
        g.Reset();
        var loss = UnlabeledLoss(g, g.Input(batch.AsSpan(0, rows * Features), rows, Features), out _);
        _adam.ZeroGrad();
        g.Backward(loss);
        _adam.Step();
    }

    public void Infer(Graph g, float[] batch, int rows)
    {
        g.Reset();
        UnlabeledLoss(g, g.Input(batch.AsSpan(0, rows * Features), rows, Features), out _);
    }

    public static float[] Data(int rows)
    {
        var x = new float[rows * Features];
        new RandomSource(3).FillNormal(x);
        return x;
    }
}
