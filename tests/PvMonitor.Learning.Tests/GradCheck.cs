using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Tests;

/// <summary>
/// Finite-difference gradient check in float32: the scalar L = Σ w ⊙ f(inputs) (fixed random w, summed in double)
/// is differentiated by central differences with step <c>h</c> and compared to the tape's gradients by relative L2
/// error per input: ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖, 1e-3) ≤ tolerance (default 1e-2).
/// </summary>
internal static class GradCheck
{
    public static void Check(Func<Graph, Tensor[], Tensor> f, Tensor[] inputs, float h = 1e-2f, double tolerance = 1e-2, ulong seed = 7)
    {
        foreach (var x in inputs)
        {
            x.RequiresGrad = true;
            x.ZeroGrad();
        }

        var graph = new Graph();
        var output = f(graph, inputs);
        var w = new float[output.Length];
        new RandomSource(seed).FillUniform(w, -1f, 1f);
        graph.Backward(output, w);

        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            var analytic = x.Grad is null ? new float[x.Length] : x.Grad.ToArray();
            var numeric = new double[x.Length];
            var values = x.Span;
            for (int i = 0; i < x.Length; i++)
            {
                float saved = values[i];
                values[i] = saved + h;
                double plus = Evaluate(f, inputs, w);
                values[i] = saved - h;
                double minus = Evaluate(f, inputs, w);
                values[i] = saved;
                numeric[i] = (plus - minus) / (2 * h);
            }

            double diff = 0, na = 0, nn = 0;
            for (int i = 0; i < x.Length; i++)
            {
                diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
                na += analytic[i] * (double)analytic[i];
                nn += numeric[i] * numeric[i];
            }

            double rel = Math.Sqrt(diff) / Math.Max(Math.Max(Math.Sqrt(na), Math.Sqrt(nn)), 1e-3);
            rel.Should().BeLessThan(tolerance, $"input {k} {x.ShapeString}: analytic [{string.Join(", ", analytic.Take(6))}] vs numeric [{string.Join(", ", numeric.Take(6).Select(v => v.ToString("G6")))}]");
        }
    }

    private static double Evaluate(Func<Graph, Tensor[], Tensor> f, Tensor[] inputs, float[] w)
    {
        var graph = new Graph(gradients: false);
        var y = f(graph, inputs).Span;
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += (double)w[i] * y[i];
        return s;
    }

    /// <summary>A matrix of uniform values in [lo, hi).</summary>
    public static Tensor Rand(ulong seed, int rows, int cols, float lo = -1f, float hi = 1f) => Tensor.Uniform(new RandomSource(seed), rows, cols, lo, hi);

    /// <summary>Values in [lo, hi) whose magnitude is at least <paramref name="gap"/> (away from kinks at 0).</summary>
    public static Tensor AwayFromZero(ulong seed, int rows, int cols, float gap = 0.1f)
    {
        var t = Rand(seed, rows, cols);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = s[i] >= 0 ? s[i] + gap : s[i] - gap;
        return t;
    }
}
