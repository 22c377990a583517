using PvMonitor.Learning.Optim;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Tests.Optim;

public class AdamTests
{
    private static (Tensor P, Adam Adam) Setup(AdamOptions options, params float[] values)
    {
        var p = Tensor.Parameter(values.Length);
        p.CopyFrom(values);
        return (p, new Adam([new("p", p)], options));
    }

    private static void SetGrad(Tensor p, params float[] g)
    {
        p.GradData ??= new float[p.Length];
        g.CopyTo(p.GradData, 0);
    }

    [Fact]
    public void TwoStepsMatchHandComputedValues()
    {
        var (p, adam) = Setup(new AdamOptions { LearningRate = 0.1f }, 1f, -2f);
        SetGrad(p, 0.5f, -1f);
        adam.Step();
        // step 1: m = 0.1 g, v = 0.001 g², m̂ = g, v̂ = g² → θ −= 0.1 · g / (|g| + 1e-8) = 0.1·sign(g)
        p[0].Should().BeApproximately(0.9f, 1e-6f);
        p[1].Should().BeApproximately(-1.9f, 1e-6f);

        SetGrad(p, 0.25f, 2f);
        adam.Step();
        // by hand (double): m = 0.9·0.05 + 0.1·0.25 = 0.07; v = 0.999·0.00025 + 0.001·0.0625 = 0.00031225
        // m̂ = 0.07 / 0.19; v̂ = 0.00031225 / 0.001999 → θ = 0.9 − 0.1 · m̂ / (√v̂ + 1e-8)
        double m0 = 0.07 / 0.19, v0 = 0.00031225 / (1 - 0.999 * 0.999);
        double m1 = (0.9 * -0.1 + 0.1 * 2) / 0.19, v1 = (0.999 * 0.001 + 0.001 * 4) / (1 - 0.999 * 0.999);
        p[0].Should().BeApproximately((float)(0.9 - 0.1 * m0 / (Math.Sqrt(v0) + 1e-8)), 1e-6f);
        p[1].Should().BeApproximately((float)(-1.9 - 0.1 * m1 / (Math.Sqrt(v1) + 1e-8)), 1e-6f);
        adam.StepCount.Should().Be(2);
    }

    [Fact]
    public void VectorAndScalarPathsAgree()
    {
        // 11 elements: one Vector256 block and a scalar tail of 3; same rule on all.
        var values = Enumerable.Range(0, 11).Select(i => i * 0.1f - 0.5f).ToArray();
        var (p, adam) = Setup(new AdamOptions { LearningRate = 0.01f, WeightDecay = 0.1f }, values);
        SetGrad(p, Enumerable.Range(0, 11).Select(i => 0.3f).ToArray());
        adam.Step();
        for (int i = 0; i < 11; i++)
        {
            double gi = 0.3 + 0.1 * values[i];
            double expected = values[i] - 0.01 * gi / (Math.Abs(gi) + 1e-8);
            p[i].Should().BeApproximately((float)expected, 1e-6f, $"element {i}");
        }
    }

    [Fact]
    public void DecoupledWeightDecayShrinksParameters()
    {
        var (p, adam) = Setup(new AdamOptions { LearningRate = 0.1f, WeightDecay = 0.5f, DecoupledWeightDecay = true }, 2f);
        SetGrad(p, 1f);
        adam.Step();
        p[0].Should().BeApproximately(2f * (1f - 0.05f) - 0.1f, 1e-6f);
    }

    [Fact]
    public void ScheduleSetsTheRatePerStep()
    {
        var (p, adam) = Setup(new AdamOptions(), 0f);
        adam.Schedule = new StepDecaySchedule(1f, 0.5f, 1);
        SetGrad(p, 1f);
        adam.Step();
        adam.LearningRate.Should().Be(1f);
        p[0].Should().BeApproximately(-1f, 1e-6f);
        adam.Step();
        adam.LearningRate.Should().Be(0.5f);
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        ((Action)(() => new AdamOptions { Beta1 = 1f }.Validate())).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => new AdamOptions { Epsilon = 0f }.Validate())).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => new AdamOptions { LearningRate = float.NaN }.Validate())).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void ClipByGlobalNormScalesAllGradientsTogether()
    {
        var a = Tensor.Parameter(2);
        var b = Tensor.Parameter(1);
        SetGrad(a, 3f, 0f);
        SetGrad(b, 4f);
        float norm = GradientClipping.ClipByGlobalNorm([a, b], 1f);
        norm.Should().BeApproximately(5f, 1e-6f);
        a.Grad![0].Should().BeApproximately(0.6f, 1e-5f);
        b.Grad![0].Should().BeApproximately(0.8f, 1e-5f);
        GradientClipping.ClipByGlobalNorm([a, b], 10f).Should().BeApproximately(1f, 1e-4f);
        a.Grad![0].Should().BeApproximately(0.6f, 1e-5f);
    }

    [Fact]
    public void Schedules()
    {
        var step = new StepDecaySchedule(1f, 0.1f, 10);
        step.LearningRate(0).Should().Be(1f);
        step.LearningRate(9).Should().Be(1f);
        step.LearningRate(10).Should().BeApproximately(0.1f, 1e-7f);
        var cos = new CosineSchedule(1f, 110, 0.1f, warmupSteps: 10);
        cos.LearningRate(0).Should().BeApproximately(0.1f, 1e-6f);
        cos.LearningRate(9).Should().BeApproximately(1f, 1e-6f);
        cos.LearningRate(10).Should().BeApproximately(1f, 1e-6f);
        cos.LearningRate(60).Should().BeApproximately(0.55f, 1e-6f);
        cos.LearningRate(110).Should().BeApproximately(0.1f, 1e-6f);
        cos.LearningRate(1000).Should().BeApproximately(0.1f, 1e-6f);
    }
}
