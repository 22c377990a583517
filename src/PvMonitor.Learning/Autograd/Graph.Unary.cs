using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using PvMonitor.Learning.Kernels;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Autograd;

public sealed partial class Graph
{
    /// <summary>eˣ elementwise.</summary>
    public Tensor Exp(Tensor x)
    {
        var t = Unary(OpCode.Exp, x);
        FastMath.Exp(x.Raw, t.Raw);
        return t;
    }

    /// <summary>Natural logarithm elementwise.</summary>
    public Tensor Log(Tensor x)
    {
        var t = Unary(OpCode.Log, x);
        FastMath.Log(x.Raw, t.Raw);
        return t;
    }

    /// <summary>log(1 + eˣ) elementwise, computed stably.</summary>
    public Tensor Softplus(Tensor x)
    {
        var t = Unary(OpCode.Softplus, x);
        ElementKernels.Softplus(x.Raw, t.Raw);
        return t;
    }

    /// <summary>max(x, 0) elementwise (gradient 0 at 0).</summary>
    public Tensor Relu(Tensor x)
    {
        var t = Unary(OpCode.Relu, x);
        ElementKernels.Relu(x.Raw, t.Raw);
        return t;
    }

    /// <summary>x for x &gt; 0, <paramref name="slope"/>·x otherwise (default slope 0.01).</summary>
    public Tensor LeakyRelu(Tensor x, float slope = 0.01f)
    {
        var t = Unary(OpCode.LeakyRelu, x);
        ElementKernels.LeakyRelu(x.Raw, t.Raw, slope);
        t.S0 = slope;
        return t;
    }

    /// <summary>tanh elementwise.</summary>
    public Tensor Tanh(Tensor x)
    {
        var t = Unary(OpCode.Tanh, x);
        ElementKernels.Tanh(x.Raw, t.Raw);
        return t;
    }

    /// <summary>Logistic sigmoid 1 / (1 + e⁻ˣ) elementwise.</summary>
    public Tensor Sigmoid(Tensor x)
    {
        var t = Unary(OpCode.Sigmoid, x);
        ElementKernels.Sigmoid(x.Raw, t.Raw);
        return t;
    }

    /// <summary>x² elementwise.</summary>
    public Tensor Square(Tensor x)
    {
        var t = Unary(OpCode.Square, x);
        TensorPrimitives.Multiply(x.Raw, x.Raw, t.Raw);
        return t;
    }

    /// <summary>√x elementwise.</summary>
    public Tensor Sqrt(Tensor x)
    {
        var t = Unary(OpCode.Sqrt, x);
        TensorPrimitives.Sqrt(x.Raw, t.Raw);
        return t;
    }

    /// <summary>|x| elementwise (gradient 0 at 0).</summary>
    public Tensor Abs(Tensor x)
    {
        var t = Unary(OpCode.Abs, x);
        TensorPrimitives.Abs(x.Raw, t.Raw);
        return t;
    }

    /// <summary>Clamps to [<paramref name="min"/>, <paramref name="max"/>]; the gradient passes where min ≤ x ≤ max.</summary>
    public Tensor Clamp(Tensor x, float min, float max)
    {
        if (!(min <= max)) throw new ArgumentException($"Clamp needs min ≤ max, got [{min}, {max}].");
        var t = Unary(OpCode.Clamp, x);
        TensorPrimitives.Max(x.Raw, min, t.Raw);
        TensorPrimitives.Min(t.Raw, max, t.Raw);
        return t;
    }

    private Tensor Unary(OpCode op, Tensor x)
    {
        Check(x);
        var t = NewNode(op, x.Rows, x.Cols, x.Rank, Tracks(x));
        t.A = x;
        return t;
    }

    private void BackwardUnary(Tensor t)
    {
        var x = t.A!;
        if (!x.RequiresGrad) return;
        var g = GradSpan(t);
        var gx = GradOf(x, out bool acc);
        var xs = x.Raw;
        var y = t.Raw;
        switch (t.Op)
        {
            case OpCode.Exp: ElementKernels.EmitProduct(g, y, gx, acc); break;
            case OpCode.Log: ElementKernels.Backward<LogGrad>(g, xs, y, gx, acc, 0f); break;
            case OpCode.Softplus: ElementKernels.Backward<SoftplusGrad>(g, xs, y, gx, acc, 0f); break;
            case OpCode.Relu: ElementKernels.Backward<ReluGrad>(g, xs, y, gx, acc, 0f); break;
            case OpCode.LeakyRelu: ElementKernels.Backward<LeakyReluGrad>(g, xs, y, gx, acc, t.S0); break;
            case OpCode.Tanh: ElementKernels.Backward<TanhGrad>(g, xs, y, gx, acc, 0f); break;
            case OpCode.Sigmoid: ElementKernels.Backward<SigmoidGrad>(g, xs, y, gx, acc, 0f); break;
            case OpCode.Square: ElementKernels.Backward<SquareGrad>(g, xs, y, gx, acc, 0f); break;
            case OpCode.Sqrt: ElementKernels.Backward<SqrtGrad>(g, xs, y, gx, acc, 0f); break;
            case OpCode.Abs: ElementKernels.Backward<AbsGrad>(g, xs, y, gx, acc, 0f); break;
            case OpCode.Clamp: ElementKernels.Backward<ClampGrad>(g, xs, y, gx, acc, 0f); break;
            default: throw new InvalidOperationException($"No unary rule for {t.Op}.");
        }
    }
}
