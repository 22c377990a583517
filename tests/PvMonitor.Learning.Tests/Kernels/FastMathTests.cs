using PvMonitor.Learning.Kernels;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Tests.Kernels;

public class FastMathTests
{
    [Fact]
    public void ExpIsAccurateAcrossTheFloatRange()
    {
        var x = new float[100_003];
        new RandomSource(1).FillUniform(x, -87f, 88.5f);
        var y = new float[x.Length];
        FastMath.Exp(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double e = Math.Exp(x[i]);
            Math.Abs(y[i] - e).Should().BeLessThanOrEqualTo(4e-7 * e, $"exp({x[i]})");
        }
    }

    [Fact]
    public void LogIsAccurateAcrossTheFloatRange()
    {
        var r = new RandomSource(2);
        var x = new float[100_003];
        for (int i = 0; i < x.Length; i++) x[i] = MathF.Exp(r.NextFloat() * 170f - 85f);
        var y = new float[x.Length];
        FastMath.Log(x, y);
        for (int i = 0; i < x.Length; i++)
            Math.Abs(y[i] - Math.Log(x[i])).Should().BeLessThanOrEqualTo(2e-7 * Math.Max(1, Math.Abs(Math.Log(x[i]))), $"log({x[i]})");
    }

    [Fact]
    public void SpecialValues()
    {
        float[] x = [float.NegativeInfinity, -100f, 0f, 1f, 100f, float.PositiveInfinity, float.NaN, -1f, 1e-40f, 0.5f, 2f, 10f, -10f, 3f, 4f, 5f];
        var e = new float[x.Length];
        var l = new float[x.Length];
        FastMath.Exp(x, e);
        FastMath.Log(x, l);
        e[0].Should().Be(0f);
        e[1].Should().BeInRange(0f, 1e-37f); // the vector path flushes subnormal results to 0, MathF.Exp does not
        e[2].Should().Be(1f);
        e[4].Should().Be(float.PositiveInfinity);
        e[5].Should().Be(float.PositiveInfinity);
        float.IsNaN(e[6]).Should().BeTrue();
        float.IsNaN(l[0]).Should().BeTrue();
        l[2].Should().Be(float.NegativeInfinity);
        l[3].Should().Be(0f);
        l[5].Should().Be(float.PositiveInfinity);
        float.IsNaN(l[6]).Should().BeTrue();
        float.IsNaN(l[7]).Should().BeTrue();
        l[8].Should().BeApproximately(MathF.Log(1e-40f), 1e-4f);
    }
}
