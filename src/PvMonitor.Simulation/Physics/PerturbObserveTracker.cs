namespace PvMonitor.Simulation.Physics;

/// <summary>
/// A perturb-and-observe MPP tracker: every step moves the operating voltage by a fixed amount and reverses when power fell.
/// It wakes at the open-circuit voltage and climbs the nearest hill of the P–V curve, so under partial shading it can settle on
/// a local maximum and stay there while the curve keeps its shape. Below <see cref="MpptOptions.StandbyPower"/> the inverter
/// stands by and reads the open-circuit voltage.
/// </summary>
public sealed class PerturbObserveTracker
{
    private readonly double _step;
    private readonly int _steps;
    private readonly double _standby;
    private double _vRef;
    private double _lastPower;
    private int _direction = -1;
    private bool _running;

    /// <summary>Creates a tracker for a string whose STC open-circuit voltage is <paramref name="stringVocStc"/> volts.</summary>
    public PerturbObserveTracker(MpptOptions options, double stringVocStc)
    {
        _step = options.StepFraction * stringVocStc;
        _steps = options.StepsPerSample;
        _standby = options.StandbyPower;
    }

    /// <summary>True while the inverter is feeding in (not in standby).</summary>
    public bool Running => _running;

    /// <summary>Runs one sample's worth of perturbations on <paramref name="curve"/> and returns the operating point.</summary>
    public (double V, double I) Track(StringCurve curve)
    {
        if (curve.Open || curve.Count == 0)
        {
            _running = false;
            return (curve.Open ? 0 : curve.OpenCircuitVoltage, 0);
        }

        var voc = curve.OpenCircuitVoltage;
        if (!_running)
        {
            _running = true;
            _vRef = voc;
            _lastPower = 0;
            _direction = -1;
        }

        for (var s = 0; s < _steps; s++)
        {
            var v = Math.Clamp(_vRef + _direction * _step, 0, voc);
            var p = curve.PowerAt(v);
            if (p < _lastPower) _direction = -_direction;
            _vRef = v;
            _lastPower = p;
        }

        var i = curve.CurrentAt(_vRef);
        if (_vRef * i < _standby)
        {
            _running = false;
            return (voc, 0);
        }

        return (_vRef, i);
    }

    /// <summary>Forgets the operating point (the next sample starts from open circuit).</summary>
    public void Reset() => _running = false;
}
