using PvMonitor.Simulation.Conditions;
using PvMonitor.Simulation.Physics;

namespace PvMonitor.Simulation.Tests.Physics;

public class StringCurveTests
{
    private static readonly StringLayout Layout = new();
    private static readonly SingleDiodeModel Model = SingleDiodeModel.FromDatasheet(Layout.Module);

    private static StringCurve Curve(ConditionPhysics? condition, double g = 1000, double beam = 800, double t = 25)
    {
        var builder = new StringCurveBuilder(Model, Layout, 512);
        var curve = builder.CreateCurve();
        builder.Build(StringCircuit.Compile(Layout, condition), new CellEnvironment(g, beam, 1, t), curve);
        return curve;
    }

    [Fact]
    public void Healthy_string_is_eight_modules_in_series_less_wiring_loss()
    {
        var curve = Curve(null);
        curve.OpenCircuitVoltage.Should().BeApproximately(8 * Layout.Module.Voc, 0.01);
        var mpp = curve.GlobalMaximum();
        var ideal = 8 * Layout.Module.Pmp;
        mpp.P.Should().BeInRange(ideal - 8, ideal); // wiring 0.3 Ω × 4 A² ≈ 5 W
    }

    [Fact]
    public void A_shaded_submodule_makes_its_bypass_diode_conduct_and_steps_the_curve()
    {
        var shaded = new ConditionPhysics
        {
            Code = "X",
            Shading = [new ShadeSpec { Modules = [0], Submodules = [0], Cells = 20, Coverage = 1, Transmittance = 0.4 }],
        };
        var healthy = Curve(null);
        var curve = Curve(shaded);
        var iHigh = 3.5; // well above the shaded cells' photocurrent (≈0.4 × 4.4 A)
        var vHealthy = healthy.Voltages[Index(healthy, iHigh)];
        var vShaded = curve.Voltages[Index(curve, iHigh)];
        // The shaded submodule contributes −(diode drop) instead of its share of the healthy voltage.
        var submodule = vHealthy / 24;
        (vHealthy - vShaded).Should().BeApproximately(submodule + Layout.BypassDiodeVoltage + Layout.BypassDiodeResistance * iHigh, 0.2);

        // The step: just below the shaded photocurrent the string still has (almost) its full voltage.
        var iLow = 0.15 * 4.4;
        curve.Voltages[Index(curve, iLow)].Should().BeGreaterThan(healthy.Voltages[Index(healthy, iLow)] - 2);
        // Two power maxima.
        LocalMaxima(curve).Should().Be(2);
        LocalMaxima(healthy).Should().Be(1);
    }

    [Fact]
    public void Added_series_resistance_lowers_the_mpp_voltage_by_about_i_times_delta_r()
    {
        const double deltaR = 3.1;
        var healthyCurve = Curve(null);
        var faultyCurve = Curve(new ConditionPhysics { Code = "RS", AddedSeriesResistance = deltaR });
        var healthy = healthyCurve.GlobalMaximum();
        var faulty = faultyCurve.GlobalMaximum();
        // At the same current the drop is exactly I·ΔR ...
        var k = Index(healthyCurve, 3.0);
        (healthyCurve.Voltages[k] - faultyCurve.Voltages[k]).Should().BeApproximately(healthyCurve.Currents[k] * deltaR, 1e-6);
        // ... and at the MPP roughly so (the MPP moves to a slightly lower current, which gives a little back).
        (healthy.V - faulty.V).Should().BeInRange(0.7 * healthy.I * deltaR, 1.05 * healthy.I * deltaR);
        (healthy.P - faulty.P).Should().BeApproximately(healthy.I * healthy.I * deltaR, 0.15 * healthy.I * healthy.I * deltaR);
    }

    [Fact]
    public void Shorted_bypass_diodes_remove_their_submodules_voltage()
    {
        var healthy = Curve(null);
        var faulty = Curve(new ConditionPhysics { Code = "B", ShortedBypassDiodes = 2 });
        faulty.OpenCircuitVoltage.Should().BeApproximately(healthy.OpenCircuitVoltage * 22 / 24, 0.01);
        faulty.MaxCurrent.Should().BeApproximately(healthy.MaxCurrent, 1e-9);
    }

    [Fact]
    public void Open_string_carries_no_current()
    {
        var curve = Curve(new ConditionPhysics { Code = "O", OpenCircuit = true });
        curve.Open.Should().BeTrue();
        var tracker = new PerturbObserveTracker(new MpptOptions(), 288);
        tracker.Track(curve).Should().Be((0.0, 0.0));
    }

    [Fact]
    public void Snow_cover_scales_the_current_of_the_covered_cells()
    {
        var builder = new StringCurveBuilder(Model, Layout);
        var curve = builder.CreateCurve();
        var circuit = StringCircuit.Compile(Layout, null, [10, 10, 10, 10, 10, 10, 10, 10]);
        builder.Build(circuit, new CellEnvironment(800, 0, 0.1, 0), curve);
        curve.MaxCurrent.Should().BeApproximately(4.4 * 0.08 * (1 - 0.0006 * 25), 0.01);
    }

    private static int Index(StringCurve c, double current)
    {
        var i = c.Currents;
        for (var k = 0; k < i.Length; k++)
            if (i[k] >= current) return k;
        return i.Length - 1;
    }

    private static int LocalMaxima(StringCurve c)
    {
        var n = 0;
        var i = c.Currents;
        var v = c.Voltages;
        for (var k = 1; k < i.Length - 1; k++)
        {
            var p0 = i[k - 1] * v[k - 1];
            var p1 = i[k] * v[k];
            var p2 = i[k + 1] * v[k + 1];
            if (p1 > p0 && p1 >= p2 && v[k] > 0) n++;
        }

        return n;
    }
}
