using PvMonitor.Simulation.Physics;

namespace PvMonitor.Simulation.Tests.Physics;

public class SingleDiodeModelTests
{
    private static readonly ModuleDatasheet Datasheet = new();
    private static readonly SingleDiodeModel Model = SingleDiodeModel.FromDatasheet(Datasheet);

    [Fact]
    public void Stc_isc_voc_and_pmp_match_the_datasheet()
    {
        var p = Model.ModuleAt(1000, 25);
        SingleDiode.ShortCircuitCurrent(p).Should().BeApproximately(Datasheet.Isc, 1e-4);
        SingleDiode.OpenCircuitVoltage(p).Should().BeApproximately(Datasheet.Voc, 1e-4);
        var mpp = SingleDiode.MaximumPowerPoint(p);
        mpp.P.Should().BeApproximately(Datasheet.Pmp, 1e-3);
        mpp.V.Should().BeApproximately(Datasheet.Vmp, 0.01);
        mpp.I.Should().BeApproximately(Datasheet.Imp, 0.001);
    }

    [Fact]
    public void Fitted_resistances_are_physical()
    {
        Model.Reference.Rs.Should().BeInRange(0.3, 1.5);
        Model.Reference.Rsh.Should().BeInRange(100, 10_000);
    }

    [Theory]
    [InlineData(-10)]
    [InlineData(0)]
    [InlineData(45)]
    [InlineData(65)]
    public void Voc_falls_with_temperature_by_the_datasheet_coefficient(double cellTemperature)
    {
        var voc = SingleDiode.OpenCircuitVoltage(Model.ModuleAt(1000, cellTemperature));
        var expected = Datasheet.Voc * (1 + Datasheet.VocTemperatureCoefficient * (cellTemperature - 25));
        voc.Should().BeApproximately(expected, 1e-3);
    }

    [Fact]
    public void Isc_rises_with_temperature_by_the_datasheet_coefficient()
    {
        var isc = SingleDiode.ShortCircuitCurrent(Model.ModuleAt(1000, 65));
        isc.Should().BeApproximately(Datasheet.Isc * (1 + 40 * Datasheet.IscTemperatureCoefficient), 0.005);
    }

    [Fact]
    public void Pmp_falls_with_temperature_by_about_0_45_percent_per_kelvin()
    {
        var p25 = SingleDiode.MaximumPowerPoint(Model.ModuleAt(1000, 25)).P;
        var p65 = SingleDiode.MaximumPowerPoint(Model.ModuleAt(1000, 65)).P;
        var gamma = (p65 / p25 - 1) / 40;
        gamma.Should().BeInRange(-0.0050, -0.0035);
    }

    [Fact]
    public void Mpp_power_is_close_to_linear_in_irradiance()
    {
        var p1000 = SingleDiode.MaximumPowerPoint(Model.ModuleAt(1000, 25)).P;
        double[] g = [200, 400, 600, 800, 1000];
        var p = g.Select(x => SingleDiode.MaximumPowerPoint(Model.ModuleAt(x, 25)).P).ToArray();
        // Efficiency relative to STC stays within a few percent from 200 to 1000 W/m² (a little higher at mid irradiance,
        // where I²·Rs losses are smaller; a little lower at 200 W/m²).
        for (var i = 0; i < g.Length; i++)
            (p[i] / p1000 * 1000 / g[i]).Should().BeInRange(0.93, 1.03, $"at {g[i]} W/m²");
        // And a straight line explains it: R² > 0.999.
        var mx = g.Average();
        var my = p.Average();
        var sxy = g.Zip(p, (x, y) => (x - mx) * (y - my)).Sum();
        var sxx = g.Sum(x => (x - mx) * (x - mx));
        var syy = p.Sum(y => (y - my) * (y - my));
        (sxy * sxy / (sxx * syy)).Should().BeGreaterThan(0.999);
    }

    [Fact]
    public void Voltage_and_current_solutions_are_inverse()
    {
        var p = Model.ModuleAt(700, 40);
        foreach (var i in new[] { 0.0, 1.0, 2.5, 3.0, 3.05 })
        {
            var v = SingleDiode.Voltage(p, i);
            SingleDiode.Current(p, v).Should().BeApproximately(i, 1e-7);
        }
    }

    [Fact]
    public void A_cell_is_the_module_divided_by_its_cells()
    {
        var module = Model.ModuleAt(800, 30);
        var cell = Model.CellAt(800, 30);
        (SingleDiode.Voltage(cell, 2.0) * Datasheet.CellsInSeries).Should().BeApproximately(SingleDiode.Voltage(module, 2.0), 1e-9);
    }

    [Fact]
    public void Inconsistent_datasheets_are_rejected()
    {
        var act = () => SingleDiodeModel.FromDatasheet(new ModuleDatasheet { Imp = 4.3, Vmp = 34 });
        act.Should().Throw<ArgumentException>();
    }
}
