namespace PvMonitor.Simulation.Physics;

/// <summary>
/// A module's single-diode model fitted to its datasheet, with the irradiance and temperature translation used by the simulator.
/// The fit fixes the ideality factor and solves Isc, Voc and the MPP (point and dP/dV = 0) exactly for Iph, I0, Rs and Rsh.
/// The saturation current's temperature dependence is set so that Voc follows the datasheet coefficient exactly at 1000 W/m²
/// (Villalva et al., 2009), and Iph follows the Isc coefficient.
/// </summary>
public sealed class SingleDiodeModel
{
    private const double Boltzmann = 1.380649e-23;
    private const double Charge = 1.602176634e-19;
    private const double TRef = 298.15;

    private SingleDiodeModel(ModuleDatasheet datasheet, DiodeParameters reference)
    {
        Datasheet = datasheet;
        Reference = reference;
    }

    /// <summary>The datasheet the model was fitted to.</summary>
    public ModuleDatasheet Datasheet { get; }

    /// <summary>Module parameters at STC.</summary>
    public DiodeParameters Reference { get; }

    /// <summary>Fits the model to a datasheet.</summary>
    /// <exception cref="ArgumentException">The datasheet values admit no single-diode solution with positive Rs and Rsh.</exception>
    public static SingleDiodeModel FromDatasheet(ModuleDatasheet datasheet)
    {
        ArgumentNullException.ThrowIfNull(datasheet);
        datasheet.Validate();
        var a = datasheet.IdealityFactor * datasheet.CellsInSeries * Boltzmann * TRef / Charge;
        var rsMax = (datasheet.Voc - datasheet.Vmp) / datasheet.Imp;

        // Scan Rs for a sign change of the dP/dV residual with physical (positive) I0 and Rsh, then bisect.
        const int steps = 4000;
        double? lo = null, hi = null;
        var prev = double.NaN;
        var prevRs = 0.0;
        for (var k = 0; k <= steps; k++)
        {
            var rs = rsMax * k / steps;
            if (!TrySolve(datasheet, a, rs, out var p)) { prev = double.NaN; continue; }
            var r = Residual(datasheet, p);
            if (!double.IsNaN(prev) && Math.Sign(r) != Math.Sign(prev))
            {
                lo = prevRs;
                hi = rs;
                break;
            }

            prev = r;
            prevRs = rs;
        }

        if (lo is null || hi is null)
            throw new ArgumentException("The datasheet values admit no single-diode fit with positive Rs and Rsh; check Imp/Vmp against Isc/Voc or the ideality factor.", nameof(datasheet));

        double l = lo.Value, h = hi.Value;
        TrySolve(datasheet, a, l, out var pl);
        var rl = Residual(datasheet, pl);
        DiodeParameters best = pl;
        for (var iter = 0; iter < 200 && h - l > 1e-12; iter++)
        {
            var m = 0.5 * (l + h);
            if (!TrySolve(datasheet, a, m, out var pm)) break;
            var rm = Residual(datasheet, pm);
            best = pm;
            if (Math.Sign(rm) == Math.Sign(rl)) { l = m; rl = rm; } else h = m;
        }

        return new SingleDiodeModel(datasheet, best);
    }

    /// <summary>Module parameters at an irradiance (W/m² of effective irradiance) and cell temperature (°C).</summary>
    public DiodeParameters ModuleAt(double irradiance, double cellTemperature) => Translate(irradiance, cellTemperature, 1);

    /// <summary>
    /// Parameters of one cell at an irradiance and temperature, with optional degradation factors
    /// on photocurrent, series and shunt resistance.
    /// </summary>
    public DiodeParameters CellAt(double irradiance, double cellTemperature, double currentFactor = 1, double seriesResistanceFactor = 1, double shuntResistanceFactor = 1)
    {
        var m = Translate(irradiance, cellTemperature, currentFactor);
        var n = Datasheet.CellsInSeries;
        return new DiodeParameters(m.Iph, m.I0, m.Rs / n * seriesResistanceFactor, m.Rsh / n * shuntResistanceFactor, m.A / n);
    }

    /// <summary>The temperature-dependent part of a cell's parameters at 1000 W/m² (scale <c>Iph</c> by G/1000 for other irradiances).</summary>
    internal DiodeParameters CellAtStcIrradiance(double cellTemperature) => CellAt(1000, cellTemperature);

    private DiodeParameters Translate(double irradiance, double cellTemperature, double currentFactor)
    {
        var r = Reference;
        var ds = Datasheet;
        var dT = cellTemperature - 25;
        var a = r.A * (cellTemperature + 273.15) / TRef;
        var iph1000 = r.Iph * (1 + ds.IscTemperatureCoefficient * dT);
        var vocT = ds.Voc * (1 + ds.VocTemperatureCoefficient * dT);
        var i0 = (iph1000 - vocT / r.Rsh) / (Math.Exp(vocT / a) - 1);
        var iph = Math.Max(0, irradiance) / 1000 * iph1000 * currentFactor;
        return new DiodeParameters(iph, i0, r.Rs, r.Rsh, a);
    }

    private static bool TrySolve(ModuleDatasheet d, double a, double rs, out DiodeParameters p)
    {
        // For fixed Rs and A the three point equations are linear in (Iph, I0, 1/Rsh).
        var x1 = d.Isc * rs;
        var x2 = d.Voc;
        var x3 = d.Vmp + d.Imp * rs;
        var e1 = Math.Exp(x1 / a);
        var e2 = Math.Exp(x2 / a);
        var e3 = Math.Exp(x3 / a);
        // −I0·(e1 − e2) − G·(x1 − x2) = Isc ;  −I0·(e3 − e2) − G·(x3 − x2) = Imp
        double a11 = -(e1 - e2), a12 = -(x1 - x2), a21 = -(e3 - e2), a22 = -(x3 - x2);
        var det = a11 * a22 - a12 * a21;
        p = default;
        if (Math.Abs(det) < 1e-300) return false;
        var i0 = (d.Isc * a22 - a12 * d.Imp) / det;
        var g = (a11 * d.Imp - a21 * d.Isc) / det;
        if (!(i0 > 0) || !(g > 0)) return false;
        var iph = i0 * (e2 - 1) + g * x2;
        p = new DiodeParameters(iph, i0, rs, 1 / g, a);
        return true;
    }

    private static double Residual(ModuleDatasheet d, DiodeParameters p)
    {
        var e = Math.Exp((d.Vmp + d.Imp * p.Rs) / p.A);
        var gd = p.I0 / p.A * e + 1 / p.Rsh;
        var dIdV = -gd / (1 + p.Rs * gd);
        return dIdV + d.Imp / d.Vmp;
    }
}
