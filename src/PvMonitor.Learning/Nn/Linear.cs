using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Nn;

/// <summary>
/// Fully connected layer y = x·W + b with W of shape inputs × outputs (parameter <c>weight</c>) and b of length
/// outputs (parameter <c>bias</c>, zero-initialised).
/// </summary>
public sealed class Linear : Layer
{
    /// <summary>Creates the layer and initialises W with <paramref name="init"/> from <paramref name="random"/>.</summary>
    public Linear(int inputs, int outputs, RandomSource random, WeightInit init = WeightInit.HeUniform, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        ArgumentNullException.ThrowIfNull(random);
        Inputs = inputs;
        Outputs = outputs;
        Weight = RegisterParameter("weight", Tensor.Parameter(inputs, outputs));
        Initialize(Weight.Span, inputs, outputs, init, random);
        if (bias) Bias = RegisterParameter("bias", Tensor.Parameter(outputs));
    }

    /// <summary>Input features.</summary>
    public int Inputs { get; }

    /// <summary>Output features.</summary>
    public int Outputs { get; }

    /// <summary>inputs × outputs weight.</summary>
    public Tensor Weight { get; }

    /// <summary>Bias vector, or null when created without one.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Graph graph, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.Linear(x, Weight, Bias);
    }

    /// <summary>Fills a fan-in × fan-out weight according to <paramref name="init"/>.</summary>
    public static void Initialize(Span<float> weight, int fanIn, int fanOut, WeightInit init, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        switch (init)
        {
            case WeightInit.HeNormal:
                random.FillNormal(weight, 0f, MathF.Sqrt(2f / fanIn));
                break;
            case WeightInit.HeUniform:
            {
                float a = MathF.Sqrt(6f / fanIn);
                random.FillUniform(weight, -a, a);
                break;
            }

            case WeightInit.XavierNormal:
                random.FillNormal(weight, 0f, MathF.Sqrt(2f / (fanIn + fanOut)));
                break;
            case WeightInit.XavierUniform:
            {
                float a = MathF.Sqrt(6f / (fanIn + fanOut));
                random.FillUniform(weight, -a, a);
                break;
            }

            case WeightInit.Zeros:
                weight.Clear();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(init));
        }
    }
}
