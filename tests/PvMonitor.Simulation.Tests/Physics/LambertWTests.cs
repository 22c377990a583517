using PvMonitor.Simulation.Physics;

namespace PvMonitor.Simulation.Tests.Physics;

public class LambertWTests
{
    [Theory]
    [InlineData(1e-20)]
    [InlineData(1e-5)]
    [InlineData(0.5)]
    [InlineData(1)]
    [InlineData(2.718281828459045)]
    [InlineData(10)]
    [InlineData(1e6)]
    [InlineData(1e300)]
    public void Satisfies_w_exp_w_equals_x(double x)
    {
        var w = LambertW.Evaluate(x);
        // w + ln w = ln x, checked in log space so huge arguments are covered too.
        (w + Math.Log(w)).Should().BeApproximately(Math.Log(x), 1e-10 * Math.Max(1, Math.Abs(Math.Log(x))));
    }

    [Fact]
    public void Handles_arguments_given_by_their_logarithm_beyond_double_range()
    {
        var w = LambertW.OfExp(5000);
        (w + Math.Log(w)).Should().BeApproximately(5000, 1e-9);
        LambertW.Evaluate(Math.E).Should().BeApproximately(1, 1e-13);
    }
}
