using System.Runtime.CompilerServices;
using PvMonitor.Domain.Conditions;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Simulation.Conditions;
using PvMonitor.Simulation.Physics;
using PvMonitor.Simulation.Randomness;
using PvMonitor.Simulation.Sensors;
using PvMonitor.Simulation.Weather;

namespace PvMonitor.Simulation.Live;

/// <summary>
/// A simulated plant stepped one sample at a time: <see cref="Step"/> returns the readings of every string for the current
/// simulated minute and advances; <see cref="StreamAsync"/> does the same paced by a <see cref="TimeProvider"/>, time-accelerated.
/// Night samples are included (G ≈ 0, label ""); lost samples are left out.
/// </summary>
public sealed class LivePlant
{
    private const int PurposeSky = 41;
    private const int PurposeLive = 42;
    private readonly LivePlantOptions _options;
    private readonly ConditionLibrary _library;
    private readonly WeatherGenerator _weather;
    private readonly StringRuntime[] _runtimes;
    private readonly Dictionary<(int String, string? Code, int SnowKey), StringCircuit> _circuits = [];
    private readonly List<ConditionEpisode> _episodes;
    private WeatherDay? _day;
    private SeededRandom _rng;

    /// <summary>Creates the plant.</summary>
    /// <exception cref="ArgumentException">Invalid options or an unknown condition code in an episode.</exception>
    public LivePlant(LivePlantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Strings < 1 || options.StringsPerInverter < 1) throw new ArgumentException("Strings and StringsPerInverter must be ≥ 1.");
        if (options.Step < TimeSpan.FromSeconds(1)) throw new ArgumentException("Step must be at least one second.");
        options.Layout.Validate();
        _options = options;
        _library = ConditionLibrary.CreateDefault();
        foreach (var c in options.ExtraConditions) _library.Set(c);
        _weather = new WeatherGenerator(options.Site, options.Seed);
        var model = SingleDiodeModel.FromDatasheet(options.Layout.Module);
        _runtimes = new StringRuntime[options.Strings];
        var keys = new StringKey[options.Strings];
        for (var s = 0; s < options.Strings; s++)
        {
            _runtimes[s] = new StringRuntime(model, options.Layout, options.Mppt);
            keys[s] = new StringKey(options.Plant, $"INV{s / options.StringsPerInverter + 1:D2}", $"S{s % options.StringsPerInverter + 1}");
        }

        Strings = keys;
        _episodes = [];
        foreach (var e in options.Episodes) Schedule(e);
        var start = options.Start.UtcDateTime;
        Now = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, TimeSpan.Zero);
        _rng = SeededRandom.Derive(options.Seed, Now.ToUnixTimeSeconds() / 60, PurposeLive);
    }

    /// <summary>The strings, in index order.</summary>
    public IReadOnlyList<StringKey> Strings { get; }

    /// <summary>The simulated time of the next sample.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>The condition catalog of this plant (for labels the model may not know).</summary>
    public ConditionCatalog Catalog => _library.ToCatalog();

    /// <summary>Adds a condition episode (e.g. from an operator's demo controls).</summary>
    /// <exception cref="ArgumentException">Unknown code or string index.</exception>
    public void Schedule(ConditionEpisode episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        if (episode.String < 0 || episode.String >= _options.Strings) throw new ArgumentException($"String index {episode.String} is out of range.");
        _library.Get(episode.Code);
        lock (_episodes) _episodes.Add(episode);
    }

    /// <summary>The readings of every string for the current simulated time (dropouts left out), then advances by one step.</summary>
    public IReadOnlyList<SimulatedReading> Step()
    {
        var time = Now;
        var date = DateOnly.FromDateTime(time.UtcDateTime);
        if (_day is null || _day.Plan.Date != date) _day = _weather.Generate(PlanDay(date));
        var day = _day;
        var m = time.Hour * 60 + time.Minute;
        var sensors = _options.Sensors;
        var g = SensorModel.Irradiance(day.PoaAtSensor[m], sensors, _rng);
        var tExt = SensorModel.Temperature(day.AirTemperature[m], sensors.AirTemperatureNoise, _rng);
        var tMod = SensorModel.Temperature(day.ModuleTemperature[m], sensors.ModuleTemperatureNoise, _rng);
        var w = SensorModel.Wind(day.Wind[m], sensors, _rng);
        var sunUp = day.SunElevation[m] > 0;
        var readings = new List<SimulatedReading>(_runtimes.Length);
        for (var s = 0; s < _runtimes.Length; s++)
        {
            var code = ActiveCode(s, time);
            var circuit = Circuit(s, code, day.Plan.Snow);
            var (v, i) = _runtimes[s].Operate(day, m, circuit);
            var im = Math.Round(SensorModel.Current(i, sensors, _rng), 3);
            var vm = Math.Round(SensorModel.Voltage(v, sensors, _rng), 1);
            if (_rng.Chance(sensors.SampleDropoutProbability)) continue;
            var label = !sunUp ? "" : code ?? (day.Plan.Snow is not null ? "S" : day.Plan.Sky == SkyRegime.Clear ? "N" : "C");
            readings.Add(new SimulatedReading(Strings[s], new TelemetrySample(time, im, vm, g, tExt, tMod, w), label));
        }

        Now = time + _options.Step;
        return readings;
    }

    /// <summary>
    /// Streams readings forever (until cancelled), one step every <see cref="LivePlantOptions.Step"/> / <paramref name="acceleration"/>
    /// of real time as measured by <paramref name="timeProvider"/> (acceleration 60 = one simulated minute per second).
    /// </summary>
    public async IAsyncEnumerable<SimulatedReading> StreamAsync(TimeProvider timeProvider, double acceleration, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!(acceleration > 0)) throw new ArgumentOutOfRangeException(nameof(acceleration), "Acceleration must be positive.");
        var period = TimeSpan.FromTicks((long)(_options.Step.Ticks / acceleration));
        var next = timeProvider.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var r in Step()) yield return r;
            next += (long)(period.TotalSeconds * timeProvider.TimestampFrequency);
            var wait = timeProvider.GetElapsedTime(timeProvider.GetTimestamp(), next);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private string? ActiveCode(int s, DateTimeOffset t)
    {
        lock (_episodes)
        {
            for (var i = _episodes.Count - 1; i >= 0; i--)
            {
                var e = _episodes[i];
                if (e.String == s && t >= e.From && t < e.To) return e.Code;
            }
        }

        return null;
    }

    private StringCircuit Circuit(int s, string? code, SnowCover? snow)
    {
        var snowKey = snow is null ? 0 : 1;
        var condition = code is null ? null : _library.Get(code);
        // Conditions without physics of their own (N, C, S) share the healthy circuit.
        if (condition is not null && condition.Shading.Count == 0 && condition.AddedSeriesResistance == 0 && condition.Soiling == 0 &&
            condition.ShortedBypassDiodes == 0 && !condition.OpenCircuit && condition.Degradation is null) condition = null;
        var key = (s, condition?.Code, snowKey);
        if (!_circuits.TryGetValue(key, out var circuit))
        {
            circuit = StringCircuit.Compile(_options.Layout, condition, snow is null ? default : snow.RowsCovered.ToArray());
            _circuits[key] = circuit;
        }

        return circuit;
    }

    private DayPlan PlanDay(DateOnly date)
    {
        var dayStart = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var dayEnd = dayStart.AddDays(1);
        List<WeatherRequirement> needs;
        lock (_episodes)
            needs = _episodes.Where(e => e.From < dayEnd && e.To > dayStart).Select(e => _library.Get(e.Code).Weather).ToList();
        var rng = SeededRandom.Derive(_options.Seed, date.DayNumber, PurposeSky);
        if (needs.Contains(WeatherRequirement.Snow))
            return new DayPlan(date, SkyRegime.Overcast, new SnowCover { RowsCovered = Enumerable.Repeat(10, _options.Layout.Modules).ToArray(), DepthAtSunrise = 2, DepthAtSunset = 1.5 });
        var sky = needs.Contains(WeatherRequirement.Clear) ? SkyRegime.Clear
            : needs.Contains(WeatherRequirement.Cloudy) ? SkyRegime.Overcast
            : _options.Sky ?? WeatherGenerator.ClimatologicalSky(rng, date);
        return new DayPlan(date, sky);
    }
}
