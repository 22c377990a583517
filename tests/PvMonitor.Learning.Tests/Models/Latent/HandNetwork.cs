using TorchSharp;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Tests.Models.Latent;

/// <summary>
/// Plain-double evaluation of a tiny network (one hidden ReLU layer per sub-network) from its parameters, so objectives can be
/// checked against their formulas: weights are set by hand to a fixed pattern, the Monte-Carlo noise is the known ε the
/// network's generator draws (the same seed, shapes and order), and every factor is recomputed here.
/// </summary>
internal sealed class HandNetwork
{
    private readonly Dictionary<string, (double[] Values, long[] Shape)> _p = new();
    private readonly double _min;
    private readonly double _max;

    /// <summary>Sets every parameter of <paramref name="network"/> to 0.6·sin(1.3·j + 0.4·i) (j: index within the tensor, i: the
    /// tensor's order) and keeps a double copy.</summary>
    public HandNetwork(nn.Module network, double logVarMin, double logVarMax)
    {
        _min = logVarMin;
        _max = logVarMax;
        int i = 0;
        using var noGrad = no_grad();
        foreach (var (name, p) in network.named_parameters())
        {
            var values = new double[p.numel()];
            for (int j = 0; j < values.Length; j++) values[j] = 0.6 * Math.Sin(1.3 * j + 0.4 * i);
            p.copy_(tensor(values.Select(v => (float)v).ToArray(), p.shape));
            _p[name] = (p.data<float>().ToArray().Select(v => (double)v).ToArray(), p.shape);
            i++;
        }
    }

    public double[] Linear(string name, double[] x)
    {
        var (w, shape) = _p[name + ".weight"];
        var b = _p[name + ".bias"].Values;
        int outputs = (int)shape[0], inputs = (int)shape[1];
        if (x.Length != inputs) throw new ArgumentException($"{name} takes {inputs} inputs, got {x.Length}.");
        var y = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            y[o] = b[o];
            for (int j = 0; j < inputs; j++) y[o] += w[o * inputs + j] * x[j];
        }

        return y;
    }

    public static double[] Relu(double[] x) => x.Select(v => Math.Max(0, v)).ToArray();

    /// <summary>A one-hidden-layer stack (Linear "0", ReLU, Linear "2").</summary>
    public double[] Stack(string prefix, double[] x) => Linear(prefix + ".2", Relu(Linear(prefix + ".0", x)));

    /// <summary>A <c>GaussianNetwork</c> with one hidden layer: mean and bounded log-variance.</summary>
    public (double[] Mean, double[] LogVar) Gaussian(string prefix, double[] x)
    {
        var h = Relu(Linear(prefix + ".body.0", x));
        var m = Linear(prefix + ".mean", h);
        var v = Linear(prefix + ".logvar", h).Select(a => 1 / (1 + Math.Exp(-a)) * (_max - _min) + _min).ToArray();
        return (m, v);
    }

    public static double LogN(double[] x, double[] m, double[] v)
    {
        double s = 0;
        for (int j = 0; j < x.Length; j++) s += -0.5 * (Math.Log(2 * Math.PI) + v[j] + (x[j] - m[j]) * (x[j] - m[j]) / Math.Exp(v[j]));
        return s;
    }

    public static double LogStd(double[] z) => LogN(z, new double[z.Length], new double[z.Length]);

    public static double KlStd(double[] m, double[] v)
    {
        double s = 0;
        for (int j = 0; j < m.Length; j++) s += 0.5 * (Math.Exp(v[j]) + m[j] * m[j] - 1 - v[j]);
        return s;
    }

    public static double[] LogSoftmax(double[] a)
    {
        double max = a.Max();
        double lse = max + Math.Log(a.Sum(v => Math.Exp(v - max)));
        return a.Select(v => v - lse).ToArray();
    }

    public static double LogSumExp(IEnumerable<double> values)
    {
        var a = values.ToArray();
        double max = a.Max();
        return max + Math.Log(a.Sum(v => Math.Exp(v - max)));
    }

    public static double[] Sample(double[] m, double[] v, double[] eps) => m.Select((mj, j) => mj + Math.Exp(0.5 * v[j]) * eps[j]).ToArray();

    public static double[] OneHot(int y, int k) => Enumerable.Range(0, k).Select(i => i == y ? 1.0 : 0.0).ToArray();

    public static double[] Cat(params double[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>The next ε draw of shape rows × columns from <paramref name="generator"/>, as the network draws it (call in the network's order).</summary>
    public static double[][] Noise(Generator generator, long rows, long columns)
    {
        var t = randn(new[] { rows, columns }, generator: generator).data<float>().ToArray();
        return Enumerable.Range(0, (int)rows).Select(r => t.Skip(r * (int)columns).Take((int)columns).Select(v => (double)v).ToArray()).ToArray();
    }
}
