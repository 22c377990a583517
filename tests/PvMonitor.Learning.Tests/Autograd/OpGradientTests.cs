using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Tensors;
using static PvMonitor.Learning.Tests.GradCheck;

namespace PvMonitor.Learning.Tests.Autograd;

/// <summary>Finite-difference checks for every op (float32 central differences, h = 1e-2, relative L2 error ≤ 1e-2).</summary>
public class OpGradientTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void MatMul(bool ta, bool tb)
    {
        var a = ta ? Rand(1, 5, 7) : Rand(1, 7, 5);
        var b = tb ? Rand(2, 9, 5) : Rand(2, 5, 9);
        Check((g, t) => g.MatMul(t[0], t[1], ta, tb), [a, b]);
    }

    [Fact]
    public void MatMulLargeEnoughForEveryKernelPath()
    {
        // 13 rows (two 6-row tiles + 1), 37 columns (16 + 16 + 8-wide panel with 5 used), k = 20.
        Check((g, t) => g.MatMul(t[0], t[1]), [Rand(1, 13, 20), Rand(2, 20, 37)], h: 5e-3f);
    }

    [Fact]
    public void Linear() => Check((g, t) => g.Linear(t[0], t[1], t[2]), [Rand(1, 6, 4), Rand(2, 4, 3), Tensor.FromArray([0.1f, -0.2f, 0.3f])]);

    [Fact]
    public void LinearReluMatchesTheComposedOpsForwardAndBackward()
    {
        var x = Rand(1, 13, 7);
        var w = Rand(2, 7, 37);
        var b = Tensor.FromArray(Rand(3, 1, 37).ToArray());
        float[] Run(bool fused, out float[] gx, out float[] gw, out float[] gb)
        {
            foreach (var p in new[] { x, w, b })
            {
                p.RequiresGrad = true;
                p.ZeroGrad();
            }

            var g = new Graph();
            var y = fused ? g.LinearRelu(x, w, b) : g.Relu(g.Linear(x, w, b));
            g.Backward(g.Sum(g.Square(y)));
            (gx, gw, gb) = (x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray());
            return y.ToArray();
        }

        var yf = Run(true, out var fx, out var fw, out var fb);
        var yc = Run(false, out var cx, out var cw, out var cb);
        yf.Should().Equal(yc);
        fx.Should().Equal(cx);
        fw.Should().Equal(cw);
        fb.Should().Equal(cb);
        yf.Should().Contain(0f).And.Contain(v => v > 0f);
    }

    [Fact]
    public void LinearWithoutBias() => Check((g, t) => g.Linear(t[0], t[1], null), [Rand(1, 6, 4), Rand(2, 4, 3)]);

    public static TheoryData<string, int, int, int, int> BroadcastCases => new()
    {
        { "full", 4, 3, 4, 3 },
        { "row", 4, 3, 1, 3 },
        { "col", 4, 3, 4, 1 },
        { "scalar", 4, 3, 1, 1 },
        { "row-left", 1, 3, 4, 3 },
        { "col-left", 4, 1, 4, 3 },
        { "outer", 4, 1, 1, 3 },
    };

    [Theory]
    [MemberData(nameof(BroadcastCases))]
    public void AddSubMulDiv(string name, int ar, int ac, int br, int bc)
    {
        _ = name;
        Check((g, t) => g.Add(t[0], t[1]), [Rand(1, ar, ac), Rand(2, br, bc)]);
        Check((g, t) => g.Sub(t[0], t[1]), [Rand(1, ar, ac), Rand(2, br, bc)]);
        Check((g, t) => g.Mul(t[0], t[1]), [Rand(1, ar, ac), Rand(2, br, bc)]);
        Check((g, t) => g.Div(t[0], t[1]), [Rand(1, ar, ac), Rand(2, br, bc, 0.5f, 2f)], h: 1e-3f);
    }

    [Fact]
    public void VectorBroadcastsAsRow() => Check((g, t) => g.Mul(t[0], t[1]), [Rand(1, 3, 4), Tensor.FromArray([1f, -2f, 0.5f, 3f])]);

    [Fact]
    public void ScalarOpsAndOperators()
    {
        Check((g, t) => g.ScaleAdd(t[0], -1.5f, 0.3f), [Rand(1, 3, 4)]);
        Check((g, t) => 2f - g.Exp(t[0]) * 3f / 2f + 1f, [Rand(1, 3, 4)]);
        Check((g, t) => -(g.Exp(t[0]) + t[1]) * t[1] - t[1] / g.Exp(t[0]), [Rand(1, 3, 4), Rand(2, 3, 4)]);
    }

    [Fact]
    public void WeightedSum() => Check((g, t) => g.WeightedSum(t[0], 0.7f, t[1], -1.3f), [Rand(1, 5, 1), Rand(2, 5, 1)]);

    public static TheoryData<string> Unaries => new() { "exp", "log", "softplus", "relu", "leaky", "tanh", "sigmoid", "square", "sqrt", "abs", "clamp" };

    [Theory]
    [MemberData(nameof(Unaries))]
    public void Unary(string op)
    {
        Tensor x = op is "log" or "sqrt" ? Rand(3, 4, 5, 0.5f, 2f) : AwayFromZero(3, 4, 5, gap: 0.1f);
        if (op == "clamp") x = AwayFromZero(3, 4, 5, gap: 0.05f); // values in ±[0.05, 1.05], bounds ±0.5 avoided below
        if (op == "clamp")
        {
            var s = x.Span;
            for (int i = 0; i < s.Length; i++)
                if (Math.Abs(Math.Abs(s[i]) - 0.5f) < 0.05f) s[i] += 0.1f;
        }

        Check((g, t) => op switch
        {
            "exp" => g.Exp(t[0]),
            "log" => g.Log(t[0]),
            "softplus" => g.Softplus(g.Scale(t[0], 5f)),
            "relu" => g.Relu(t[0]),
            "leaky" => g.LeakyRelu(t[0], 0.2f),
            "tanh" => g.Tanh(t[0]),
            "sigmoid" => g.Sigmoid(t[0]),
            "square" => g.Square(t[0]),
            "sqrt" => g.Sqrt(t[0]),
            "abs" => g.Abs(t[0]),
            _ => g.Clamp(t[0], -0.5f, 0.5f),
        }, [x], h: 1e-2f);
    }

    [Fact]
    public void SoftmaxFamily()
    {
        Check((g, t) => g.Softmax(t[0]), [Rand(1, 4, 5, -2f, 2f)]);
        Check((g, t) => g.LogSoftmax(t[0]), [Rand(1, 4, 5, -2f, 2f)]);
        Check((g, t) => g.LogSumExp(t[0]), [Rand(1, 4, 5, -2f, 2f)]);
    }

    [Fact]
    public void Reductions()
    {
        Check((g, t) => g.Sum(t[0]), [Rand(1, 4, 5)]);
        Check((g, t) => g.Mean(t[0]), [Rand(1, 4, 5)]);
        Check((g, t) => g.RowSum(t[0]), [Rand(1, 4, 5)]);
        Check((g, t) => g.RowMean(t[0]), [Rand(1, 4, 5)]);
        Check((g, t) => g.ColumnSum(t[0]), [Rand(1, 4, 5)]);
        Check((g, t) => g.ColumnMean(t[0]), [Rand(1, 4, 5)]);
        Check((g, t) => g.RowSum(t[0]), [Rand(1, 4, 1)]);
    }

    [Fact]
    public void ShapeOps()
    {
        Check((g, t) => g.Concat(t[0], t[1], t[2]), [Rand(1, 3, 2), Rand(2, 3, 4), Rand(3, 3, 1)]);
        Check((g, t) => g.Exp(g.SliceRows(t[0], 1, 2)), [Rand(1, 4, 3)]);
        Check((g, t) => g.Exp(g.SliceCols(t[0], 1, 2)), [Rand(1, 4, 3)]);
        Check((g, t) => g.Exp(g.Reshape(t[0], 2, 6)), [Rand(1, 4, 3)]);
        Check((g, t) => g.Transpose(t[0]), [Rand(1, 4, 3)]);
        Check((g, t) => g.RepeatRows(t[0], 3), [Rand(1, 4, 3)]);
        Check((g, t) => g.TileRows(t[0], 3), [Rand(1, 4, 3)]);
        Check((g, t) => g.Gather(t[0], [2, 0, 1, 2]), [Rand(1, 4, 3)]);
    }

    [Fact]
    public void DetachStopsGradients()
    {
        var a = Rand(1, 4, 3);
        var b = Rand(2, 4, 3);
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        var g = new Graph();
        g.Backward(g.Sum(g.Mul(g.Detach(g.Exp(a)), b)));
        a.Grad.Should().BeNull();
        var expected = a.ToArray().Select(MathF.Exp).ToArray();
        b.Grad!.ToArray().Select((v, i) => Math.Abs(v - expected[i])).Should().OnlyContain(d => d < 1e-6);
    }

    [Fact]
    public void Losses()
    {
        Check((g, t) => g.CrossEntropy(t[0], [1, 0, 3, 3, 2]), [Rand(1, 5, 4, -2f, 2f)]);
        Check((g, t) => g.MseLoss(t[0], t[1]), [Rand(1, 5, 4), Rand(2, 5, 4)]);
    }

    [Fact]
    public void DropoutWithFixedMask() =>
        Check((g, t) => g.Dropout(t[0], 0.3f, new RandomSource(11)), [Rand(1, 6, 5)]);

    [Fact]
    public void BatchNorm()
    {
        Check((g, t) => g.BatchNormTrain(t[0], t[1], t[2], 1e-5f), [Rand(1, 8, 3, -2f, 2f), Rand(2, 1, 3, 0.5f, 1.5f), Rand(3, 1, 3)], h: 5e-3f, tolerance: 2e-2);
        var rm = Tensor.FromArray([0.1f, -0.2f, 0.3f]);
        var rv = Tensor.FromArray([0.5f, 1.5f, 2f]);
        Check((g, t) => g.BatchNormEval(t[0], t[1], t[2], rm, rv, 1e-5f), [Rand(1, 8, 3), Rand(2, 1, 3), Rand(3, 1, 3)]);
    }

    [Fact]
    public void GaussianOps()
    {
        Check((g, t) => g.GaussianLogProb(t[0], t[1], t[2]), [Rand(1, 4, 3), Rand(2, 4, 3), Rand(3, 4, 3)]);
        Check((g, t) => g.StandardNormalLogProb(t[0]), [Rand(1, 4, 3)]);
        Check((g, t) => g.GaussianKl(t[0], t[1], t[2], t[3]), [Rand(1, 4, 3), Rand(2, 4, 3), Rand(3, 4, 3), Rand(4, 4, 3)]);
        Check((g, t) => g.StandardNormalKl(t[0], t[1]), [Rand(1, 4, 3), Rand(2, 4, 3)]);
        var noise = Rand(9, 4, 3);
        Check((g, t) => g.Reparameterize(t[0], t[1], noise), [Rand(1, 4, 3), Rand(2, 4, 3)]);
        Check((g, t) => g.Reparameterize(t[0], t[1], new RandomSource(5)), [Rand(1, 4, 3), Rand(2, 4, 3)]);
        Check((g, t) => g.CategoricalEntropy(t[0]), [Rand(1, 4, 5, -2f, 2f)]);
    }

    [Fact]
    public void ValueUsedTwiceAccumulates()
    {
        Check((g, t) => g.Mul(t[0], t[0]), [Rand(1, 3, 3)]);
        Check((g, t) =>
        {
            var y = g.Tanh(t[0]);
            var z = g.Add(g.Exp(y), g.Mul(y, y));
            return g.Concat(g.Add(z, y), y);
        }, [Rand(1, 3, 3)]);
        Check((g, t) => g.GaussianKl(t[0], t[1], t[0], t[1]), [Rand(1, 3, 2), Rand(2, 3, 2)]);
    }

    [Fact]
    public void SemiSupervisedPattern()
    {
        // The K-class enumeration used by the unlabeled bound: tile, concat with one-hots, reshape to B × K, weight by q(y|x).
        const int B = 3, K = 4;
        Check((g, t) =>
        {
            var xk = g.RepeatRows(t[0], K);
            var inK = g.Concat(xk, g.EnumerateClasses(B, K));
            var perRow = g.RowSum(g.Tanh(g.MatMul(inK, t[1])));
            var perClass = g.Reshape(perRow, B, K);
            var q = g.Softmax(t[2]);
            var u = g.RowSum(g.Mul(q, perClass));
            return g.Mean(g.WeightedSum(u, -1f, g.CategoricalEntropy(t[2]), -1f));
        }, [Rand(1, B, 2), Rand(2, 2 + K, 3), Rand(3, B, K)]);
    }
}
