using PvMonitor.Domain.Telemetry;
using PvMonitor.Simulation.Conditions;
using PvMonitor.Simulation.Physics;
using PvMonitor.Simulation.Planning;
using PvMonitor.Simulation.Randomness;
using PvMonitor.Simulation.Sensors;
using PvMonitor.Simulation.Weather;

namespace PvMonitor.Simulation;

/// <summary>
/// Runs a planned simulation day by day: the plant's weather and weather-station readings once per day, then every string in
/// parallel (each with its own random streams, so output never depends on thread scheduling).
/// </summary>
internal sealed class SimulationEngine
{
    internal const short NotEmitted = -2;
    internal const short Unlabelled = -1;
    private const int PurposePlantSensors = 31;
    private const int PurposeString = 32;
    private const double PauseProbability = 0.5;

    private readonly SimulationOptions _options;
    private readonly ConditionLibrary _library;
    private readonly WeatherGenerator _weather;
    private readonly bool _stagedPauses;
    private readonly StringRuntime[] _strings;
    private readonly List<string> _labels = [];
    private readonly Dictionary<string, short> _labelIndex = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StringCircuit> _circuits = new(StringComparer.Ordinal);

    public SimulationEngine(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _library = ConditionLibrary.CreateDefault();
        foreach (var c in options.ExtraConditions) _library.Set(c);
        var (conditions, shares, rowsPerDay) = options.Resolve(_library);
        _stagedPauses = rowsPerDay is not null;
        Plan = CampaignPlanner.Plan(conditions, shares, options.Start, options.Days, options.Strings, rowsPerDay, options.Site, options.Seed);
        _weather = new WeatherGenerator(options.Site, options.Seed);
        var model = SingleDiodeModel.FromDatasheet(options.Layout.Module);
        _strings = new StringRuntime[options.Strings];
        Keys = new StringKey[options.Strings];
        StringColumns = new string[options.Strings];
        var width = Math.Max(2, ((options.Strings + options.StringsPerInverter - 1) / options.StringsPerInverter).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        for (var s = 0; s < options.Strings; s++)
        {
            _strings[s] = new StringRuntime(model, options.Layout, options.Mppt);
            var inverter = "INV" + (s / options.StringsPerInverter + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0');
            var name = "S" + (s % options.StringsPerInverter + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Keys[s] = new StringKey(options.Plant, inverter, name);
            StringColumns[s] = TelemetryCsv.StringColumn(Keys[s]);
        }

        foreach (var c in conditions) LabelIndex(c.Code);
    }

    public SimulationPlan Plan { get; }

    public StringKey[] Keys { get; }

    public string[] StringColumns { get; }

    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Simulates one day of the plan into <paramref name="result"/> (reused between days).</summary>
    public void SimulateDay(int dayIndex, DayResult result)
    {
        var schedule = Plan.Days[dayIndex];
        var plan = schedule.Weather;
        var weather = _weather.Generate(plan);
        var sensors = _options.Sensors;
        var dayNumber = plan.Date.DayNumber;
        result.Reset(plan.Date, weather, _strings.Length);

        // Weather station: one reading per minute for the whole plant.
        var rng = SeededRandom.Derive(_options.Seed, dayNumber, PurposePlantSensors);
        for (var m = 0; m < WeatherDay.Minutes; m++)
        {
            result.G[m] = SensorModel.Irradiance(weather.PoaAtSensor[m], sensors, rng);
            result.TExt[m] = SensorModel.Temperature(weather.AirTemperature[m], sensors.AirTemperatureNoise, rng);
            result.TMod[m] = SensorModel.Temperature(weather.ModuleTemperature[m], sensors.ModuleTemperatureNoise, rng);
            result.W[m] = SensorModel.Wind(weather.Wind[m], sensors, rng);
        }

        int outageFrom = -1, outageTo = -1;
        if (rng.Chance(sensors.OutageProbabilityPerDay))
        {
            outageFrom = rng.NextInt(WeatherDay.Minutes);
            outageTo = outageFrom + 5 + rng.NextInt(41);
        }

        // Condition label indices per slot, resolved before going parallel.
        var slotCount = schedule.SlotStarts.Count;
        var slotLabels = new short[_strings.Length, slotCount];
        for (var s = 0; s < _strings.Length; s++)
            for (var k = 0; k < slotCount; k++)
                slotLabels[s, k] = LabelIndex(Plan.CodeOf(s, dayIndex, k));

        var snowRows = plan.Snow?.RowsCovered.ToArray() ?? [];
        var snowRowsAfter = plan.Snow?.RowsCoveredAfterSlide.ToArray() ?? [];
        var slideMinute = plan.Snow is { SlideMinute: >= 0 } sc ? sc.SlideMinute : WeatherDay.Minutes;
        var includeNight = _options.IncludeNight;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism ?? Environment.ProcessorCount };
        Parallel.For(0, _strings.Length, parallel, s =>
        {
            var runtime = _strings[s];
            var r = SeededRandom.Derive(_options.Seed, dayNumber, PurposeString, s);
            var circuits = new StringCircuit[slotCount];
            var faulty = new bool[slotCount];
            var circuitsAfterSlide = new StringCircuit[slotCount];
            for (var k = 0; k < slotCount; k++)
            {
                var condition = _library.Get(Plan.CodeOf(s, dayIndex, k));
                faulty[k] = condition.Kind == Domain.Conditions.ConditionKind.Fault;
                circuits[k] = Circuit(condition, snowRows);
                circuitsAfterSlide[k] = slideMinute < WeatherDay.Minutes ? Circuit(condition, snowRowsAfter) : circuits[k];
            }

            // In a windowed campaign the staged faults were not in place every minute of their logged window (cover lifted,
            // resistor bridged while checking the rig): now and then a stretch of healthy operation carries the fault's
            // label, as in real logs. Whole-daylight runs (lists of codes, for demos) keep their labels clean.
            var healthy = Circuit(null, snowRows);
            int pauseFrom = -1, pauseTo = -1;
            if (_stagedPauses && r.Chance(PauseProbability))
            {
                pauseFrom = schedule.RecordFrom + r.NextInt(Math.Max(1, schedule.RecordTo - schedule.RecordFrom));
                pauseTo = pauseFrom + 20 + r.NextInt(61);
            }

            var iRow = result.I[s];
            var vRow = result.V[s];
            var labels = result.Label[s];
            var slot = 0;
            for (var m = 0; m < WeatherDay.Minutes; m++)
            {
                while (slot + 1 < slotCount && schedule.SlotStarts[slot + 1] <= m) slot++;
                var circuit = m < slideMinute ? circuits[slot] : circuitsAfterSlide[slot];
                if (m >= pauseFrom && m < pauseTo && faulty[slot]) circuit = healthy;
                var (v, i) = runtime.Operate(weather, m, circuit);
                var dropped = r.Chance(sensors.SampleDropoutProbability) || (m >= outageFrom && m < outageTo);
                var sunUp = weather.SunElevation[m] > 0;
                var recorded = sunUp && m >= schedule.RecordFrom && m < schedule.RecordTo;
                iRow[m] = SensorModel.Current(i, sensors, r);
                vRow[m] = SensorModel.Voltage(v, sensors, r);
                labels[m] = dropped ? NotEmitted : recorded ? slotLabels[s, slot] : includeNight ? Unlabelled : NotEmitted;
            }
        });
    }

    private StringCircuit Circuit(ConditionPhysics? condition, int[] snowRows)
    {
        // Compiled circuits are immutable and shared by every string and day with the same condition and snow.
        var key = (condition?.Code ?? "") + "|" + string.Join(',', snowRows);
        return _circuits.GetOrAdd(key, _ => StringCircuit.Compile(_options.Layout, condition, snowRows));
    }

    private short LabelIndex(string code)
    {
        lock (_labelIndex)
        {
            if (_labelIndex.TryGetValue(code, out var i)) return i;
            i = (short)_labels.Count;
            _labels.Add(code);
            _labelIndex.Add(code, i);
            return i;
        }
    }
}

/// <summary>One simulated day: weather-station readings per minute, string readings and labels per string and minute.</summary>
internal sealed class DayResult
{
    public DateOnly Date { get; private set; }

    public WeatherDay? Weather { get; private set; }

    public double[] G { get; } = new double[WeatherDay.Minutes];

    public double[] TExt { get; } = new double[WeatherDay.Minutes];

    public double[] TMod { get; } = new double[WeatherDay.Minutes];

    public double[] W { get; } = new double[WeatherDay.Minutes];

    public double[][] I { get; private set; } = [];

    public double[][] V { get; private set; } = [];

    /// <summary>Per string and minute: label index, <see cref="SimulationEngine.Unlabelled"/>, or <see cref="SimulationEngine.NotEmitted"/>.</summary>
    public short[][] Label { get; private set; } = [];

    public void Reset(DateOnly date, WeatherDay weather, int strings)
    {
        Date = date;
        Weather = weather;
        if (I.Length != strings)
        {
            I = new double[strings][];
            V = new double[strings][];
            Label = new short[strings][];
            for (var s = 0; s < strings; s++)
            {
                I[s] = new double[WeatherDay.Minutes];
                V[s] = new double[WeatherDay.Minutes];
                Label[s] = new short[WeatherDay.Minutes];
            }
        }
    }
}
