using PvMonitor.Monitoring.Storage.Influx.LineProtocol;

namespace PvMonitor.Influx.Bench;

/// <summary>Points shaped like PV string telemetry: tags plant/inverter/string, six float fields, ms timestamps.</summary>
internal sealed class TelemetryPoints
{
    private readonly string[] _plants;
    private readonly string[] _inverters;
    private readonly string[] _strings;
    private readonly double[] _values;

    /// <param name="seed">Random seed of the values.</param>
    /// <param name="fullPrecision">False: values rounded to 1–4 decimals, as instruments report them (the encoder's fast path);
    /// true: full 17-digit doubles (the general shortest-round-trip formatter).</param>
    public TelemetryPoints(int seed = 42, bool fullPrecision = false)
    {
        var random = new Random(seed);
        _plants = Enumerable.Range(1, 4).Select(i => $"plant-{i:00}").ToArray();
        _inverters = Enumerable.Range(1, 10).Select(i => $"inv-{i:00}").ToArray();
        _strings = Enumerable.Range(1, 12).Select(i => $"s{i:00}").ToArray();
        _values = new double[4096 * 6];
        for (var i = 0; i < 4096; i++)
        {
            var g = random.NextDouble() * 1000;
            var v = 550 + random.NextDouble() * 150;
            var c = 9.5 * g / 1000 + random.NextDouble() * 0.1;
            var t = 20 + g * 0.03 + random.NextDouble() * 2;
            var a = 15 + random.NextDouble() * 10;
            _values[i * 6 + 0] = fullPrecision ? v : Math.Round(v, 3);
            _values[i * 6 + 1] = fullPrecision ? c : Math.Round(c, 4);
            _values[i * 6 + 2] = fullPrecision ? v * c : Math.Round(v * c, 2);
            _values[i * 6 + 3] = fullPrecision ? g : Math.Round(g, 1);
            _values[i * 6 + 4] = fullPrecision ? t : Math.Round(t, 2);
            _values[i * 6 + 5] = fullPrecision ? a : Math.Round(a, 2);
        }
    }

    /// <summary>Series per timestamp (plants × inverters × strings).</summary>
    public int SeriesCount => _plants.Length * _inverters.Length * _strings.Length;

    /// <summary>Plant tag of point number <paramref name="index"/> (as <see cref="Fill"/> sets it).</summary>
    public string Plant(long index) => _plants[(int)(index % SeriesCount) / (_strings.Length * _inverters.Length)];

    /// <summary>Inverter tag of point number <paramref name="index"/>.</summary>
    public string Inverter(long index) => _inverters[(int)(index % SeriesCount) / _strings.Length % _inverters.Length];

    /// <summary>String tag of point number <paramref name="index"/>.</summary>
    public string String(long index) => _strings[(int)(index % SeriesCount) % _strings.Length];

    /// <summary>The six field values of point number <paramref name="index"/> (v_dc, i_dc, p_dc, irradiance, t_module, t_ambient).</summary>
    public ReadOnlySpan<double> Values(long index) => _values.AsSpan((int)(index % 4096) * 6, 6);

    /// <summary>Timestamp of point number <paramref name="index"/>, ms.</summary>
    public long TimestampMs(long index, long startMs) => startMs + index / SeriesCount * 1000;

    /// <summary>Fills <paramref name="point"/> with point number <paramref name="index"/>; timestamps step 1 s per series round.</summary>
    public PointData Fill(PointData point, long index, long startMs)
    {
        var series = (int)(index % SeriesCount);
        var round = index / SeriesCount;
        var s = series % _strings.Length;
        var inv = series / _strings.Length % _inverters.Length;
        var plant = series / (_strings.Length * _inverters.Length);
        var v = (int)(index % 4096) * 6;
        return point.Reset("pv_telemetry")
            .Tag("plant", _plants[plant])
            .Tag("inverter", _inverters[inv])
            .Tag("string", _strings[s])
            .Field("v_dc", _values[v])
            .Field("i_dc", _values[v + 1])
            .Field("p_dc", _values[v + 2])
            .Field("irradiance", _values[v + 3])
            .Field("t_module", _values[v + 4])
            .Field("t_ambient", _values[v + 5])
            .Timestamp(startMs + round * 1000, WritePrecision.Milliseconds);
    }
}
