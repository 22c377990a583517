using PvMonitor.Simulation.Conditions;
using PvMonitor.Simulation.Physics;

namespace PvMonitor.Simulation.Tests.Physics;

public class PerturbObserveTrackerTests
{
    private static readonly StringLayout Layout = new();
    private static readonly SingleDiodeModel Model = SingleDiodeModel.FromDatasheet(Layout.Module);

    private static StringCurve Curve(ConditionPhysics? condition, double g = 1000)
    {
        var builder = new StringCurveBuilder(Model, Layout);
        var curve = builder.CreateCurve();
        builder.Build(StringCircuit.Compile(Layout, condition), new CellEnvironment(g, 0.8 * g, 1, 25), curve);
        return curve;
    }

    [Fact]
    public void Finds_the_mpp_of_a_healthy_string_within_a_percent()
    {
        var curve = Curve(null);
        var tracker = new PerturbObserveTracker(new MpptOptions(), 288);
        (double V, double I) op = default;
        for (var i = 0; i < 5; i++) op = tracker.Track(curve);
        (op.V * op.I).Should().BeGreaterThan(0.99 * curve.GlobalMaximum().P);
    }

    [Fact]
    public void Settles_on_a_local_maximum_under_partial_shading()
    {
        // A submodule under cloth (40 % transmittance): a hill at the shaded cells' current and full voltage, and the
        // global maximum at full current with the bypass diode conducting. Coming down from Voc the tracker stops on the first.
        var condition = new ConditionPhysics
        {
            Code = "PS",
            Shading = [new ShadeSpec { Modules = [3], Submodules = [1], Cells = 20, Coverage = 1, Transmittance = 0.4 }],
        };
        var curve = Curve(condition);
        var tracker = new PerturbObserveTracker(new MpptOptions(), 288);
        (double V, double I) op = default;
        for (var i = 0; i < 30; i++) op = tracker.Track(curve);
        var global = curve.GlobalMaximum();
        (op.V * op.I).Should().BeLessThan(0.75 * global.P);
        op.I.Should().BeLessThan(0.5 * global.I);
        op.V.Should().BeGreaterThan(global.V);
    }

    [Fact]
    public void Stands_by_at_open_circuit_voltage_when_power_is_too_low()
    {
        var curve = Curve(null, g: 2);
        var tracker = new PerturbObserveTracker(new MpptOptions(), 288);
        var op = tracker.Track(curve);
        op.I.Should().Be(0);
        op.V.Should().BeApproximately(curve.OpenCircuitVoltage, 1e-9);
        tracker.Running.Should().BeFalse();
    }
}
