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

    /// <summary>
    /// A uniform grid from 0 to the largest photocurrent, with points moved to just around the lower photocurrent levels
    /// (the knees where a bypass diode takes over): a hill of the P–V curve there can be narrower than the uniform spacing.
    /// </summary>
    private void FillCurrentGrid(double[] current, int n, double iMax, int classCount)
    {
        var levels = 0;
        Span<double> knee = stackalloc double[4];
        for (var c = 0; c < classCount && levels < knee.Length; c++)
        {
            var iph = _classParameters[c].Iph;
            if (iph < 0.97 * iMax && iph > 0.02 * iMax)
            {
                var duplicate = false;
                for (var j = 0; j < levels; j++) duplicate |= Math.Abs(knee[j] - iph) < 0.01 * iMax;
                if (!duplicate) knee[levels++] = iph;
            }
        }

        const int perKnee = 16;
        var uniform = n - levels * perKnee;
        for (var k = 0; k < uniform; k++) current[k] = iMax * k / (uniform - 1);
        var at = uniform;
        for (var j = 0; j < levels; j++)
        {
            var lo = 0.88 * knee[j];
            var hi = Math.Min(knee[j] + 0.05 * iMax, iMax);
            for (var k = 0; k < perKnee; k++) current[at++] = lo + (hi - lo) * (k + 0.5) / perKnee;
        }

        if (levels > 0) Array.Sort(current, 0, n);
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
        FillCurrentGrid(current, n, iMax, classes.Length);

        for (var c = 0; c < classes.Length; c++)
        {
            // V = (Iph + I0 − I)·Rsh − I·Rs − A·W((I0·Rsh/A)·exp((Iph + I0 − I)·Rsh/A)), swept with a warm-started W.
            var p = _classParameters[c];
            var v = _classVoltage[c];
            var logPrefix = Math.Log(p.I0 * p.Rsh / p.A);
            var w = 0.0;
            for (var k = 0; k < n; k++)
            {
                var x = (p.Iph + p.I0 - current[k]) * p.Rsh;
                w = LambertW.OfExp(logPrefix + x / p.A, w);
                v[k] = x - current[k] * p.Rs - p.A * w;
            }
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
