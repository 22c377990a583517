namespace PvMonitor.Simulation.Physics;

/// <summary>
/// Builds a string's I–V curve for one minute: each cell class's V(I) from the single-diode equation (Lambert W) on a common
/// current grid, summed over the cells of each submodule, clamped by the bypass diode, summed over the string at common current,
/// minus the series resistance drop. Holds scratch buffers: use one builder per thread.
/// </summary>
public sealed class StringCurveBuilder
{
    private readonly SingleDiodeModel _model;
    private readonly StringLayout _layout;
    private readonly int _points;
    private double[][] _classVoltage = [];
    private DiodeParameters[] _classParameters = [];

    /// <summary>Creates a builder; <paramref name="points"/> is the number of current samples per curve (default 128).</summary>
    public StringCurveBuilder(SingleDiodeModel model, StringLayout layout, int points = 128)
    {
        _model = model;
        _layout = layout;
        _points = points;
    }

    /// <summary>Samples per curve.</summary>
    public int Points => _points;

    /// <summary>Allocates a curve this builder can fill.</summary>
    public StringCurve CreateCurve() => new(_points);

    /// <summary>Fills <paramref name="curve"/> with the string's I–V curve under <paramref name="environment"/>.</summary>
    public void Build(StringCircuit circuit, in CellEnvironment environment, StringCurve curve)
    {
        curve.Open = circuit.Open;
        if (circuit.Open)
        {
            curve.Count = 0;
            return;
        }

        var classes = circuit.Classes;
        if (_classVoltage.Length < classes.Length)
        {
            _classVoltage = new double[classes.Length][];
            for (var i = 0; i < classes.Length; i++) _classVoltage[i] = new double[_points];
            _classParameters = new DiodeParameters[classes.Length];
        }

        var healthy = _model.CellAt(1000, environment.CellTemperature);
        var degraded = healthy;
        if (circuit.Degradation is { } d)
            degraded = _model.CellAt(1000, environment.CellTemperature, d.PhotocurrentFactor, d.SeriesResistanceFactor, d.ShuntResistanceFactor);

        var iMax = 0.0;
        for (var c = 0; c < classes.Length; c++)
        {
            var cls = classes[c];
            var g = Math.Max(0, cls.KAll * environment.Irradiance + cls.KBeam * environment.Beam);
            if (cls.UnderSnow) g *= environment.SnowTransmittance;
            var b = cls.Degraded ? degraded : healthy;
            var p = b with { Iph = b.Iph * g / 1000 };
            _classParameters[c] = p;
            iMax = Math.Max(iMax, p.Iph);
        }

        if (iMax < 1e-6)
        {
            curve.Count = 0;
            return;
        }

        var n = _points;
        var current = curve.Current;
        for (var k = 0; k < n; k++) current[k] = iMax * k / (n - 1);

        for (var c = 0; c < classes.Length; c++)
        {
            var p = _classParameters[c];
            var v = _classVoltage[c];
            for (var k = 0; k < n; k++) v[k] = SingleDiode.Voltage(p, current[k]);
        }

        var voltage = curve.Voltage;
        var rs = circuit.SeriesResistance;
        var vd = _layout.BypassDiodeVoltage;
        var rd = _layout.BypassDiodeResistance;
        var subs = circuit.Submodules;
        for (var k = 0; k < n; k++)
        {
            var i = current[k];
            var clamp = -(vd + rd * i);
            var total = -i * rs;
            foreach (var sub in subs)
            {
                if (sub.Shorted) continue;
                var vs = 0.0;
                foreach (var (cls, cells) in sub.Groups) vs += cells * _classVoltage[cls][k];
                total += sub.Count * Math.Max(vs, clamp);
            }

            // Keep the sampled curve monotone (rounding in flat reverse-bias stretches).
            voltage[k] = k > 0 && total > voltage[k - 1] ? voltage[k - 1] : total;
        }

        curve.Count = n;
    }
}
