using PvMonitor.Influx.LineProtocol;

namespace PvMonitor.Influx.Bench;

/// <summary>Points shaped like PV string telemetry: tags plant/inverter/string, six float fields, ms timestamps.</summary>
internal sealed class TelemetryPoints
{
    private readonly string[] _plants;
    private readonly string[] _inverters;
    private readonly string[] _strings;
    private readonly double[] _values;

    public TelemetryPoints(int seed = 42)
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
            _values[i * 6 + 0] = Math.Round(v, 3);
            _values[i * 6 + 1] = Math.Round(c, 4);
            _values[i * 6 + 2] = Math.Round(v * c, 2);
            _values[i * 6 + 3] = Math.Round(g, 1);
            _values[i * 6 + 4] = Math.Round(20 + g * 0.03 + random.NextDouble() * 2, 2);
            _values[i * 6 + 5] = Math.Round(15 + random.NextDouble() * 10, 2);
        }
    }

    /// <summary>Series per timestamp (plants × inverters × strings).</summary>
    public int SeriesCount => _plants.Length * _inverters.Length * _strings.Length;

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
