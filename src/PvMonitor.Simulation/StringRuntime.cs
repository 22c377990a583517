using PvMonitor.Simulation.Physics;
using PvMonitor.Simulation.Weather;

namespace PvMonitor.Simulation;

/// <summary>The state a simulated string carries from minute to minute: its MPP tracker and its curve buffers.</summary>
internal sealed class StringRuntime
{
    private readonly StringCurveBuilder _builder;
    private readonly StringCurve _curve;
    private readonly PerturbObserveTracker _tracker;

    public StringRuntime(SingleDiodeModel model, StringLayout layout, MpptOptions mppt)
    {
        _builder = new StringCurveBuilder(model, layout);
        _curve = _builder.CreateCurve();
        _tracker = new PerturbObserveTracker(mppt, layout.Modules * layout.Module.Voc);
    }

    /// <summary>True operating point (V, A) of the string in a minute.</summary>
    public (double V, double I) Operate(WeatherDay day, int minute, StringCircuit circuit)
    {
        var g = day.Effective[minute];
        if (g <= 0)
        {
            _tracker.Reset();
            return (0, 0);
        }

        var cell = day.CellTemperature[minute];
        _builder.Build(circuit, new CellEnvironment(g, day.EffectiveBeam[minute], day.SnowTransmittance[minute], cell), _curve);
        return _tracker.Track(_curve);
    }
}
