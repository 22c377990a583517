using System.Text;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Storage;
using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;
using PvMonitor.Monitoring.Storage.Influx.Writing;

namespace PvMonitor.Monitoring.Tests.Storage.Influx;

/// <summary>The lines <see cref="InfluxResultStore"/> writes for condition rows (captured by an in-memory endpoint).</summary>
public class InfluxResultStoreTests
{
    private static readonly StringKey Key = new("p1", "inv1", "s1");
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Classes = ["N", "PS7"];
    private static readonly string[] Features = ["I", "V", "G", "TExt", "TMod", "W"];

    private sealed class Capture : IInfluxWriteEndpoint
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get { lock (_lines) return _lines.ToArray(); }
        }

        public ValueTask<WriteResult> WriteAsync(ReadOnlyMemory<byte> lines, WritePrecision precision, CancellationToken cancellationToken)
        {
            lock (_lines) _lines.AddRange(Encoding.UTF8.GetString(lines.Span).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            return ValueTask.FromResult(WriteResult.Written);
        }
    }

    private static ConditionRecord Row(int minute, bool anomaly) =>
        new(Key, T0.AddMinutes(minute), "v1", "N", 0.75, Classes, new[] { 0.75, 0.25 }, anomaly ? -40.5 : -2.5, anomaly, false)
        {
            Features = Features,
            ReconstructionZ = new[] { 0.5f, -1.25f, 9.5f, 0f, 0.125f, -0.75f },
        };

    private static async Task<IReadOnlyList<string>> WriteAsync(bool zScoresOnEveryRow)
    {
        var capture = new Capture();
        var options = new InfluxOptions { Url = "http://127.0.0.1:1", Version = 1, Database = "pv", SpoolPath = null, DeadLetterPath = null, FlushIntervalMs = 10 };
        await using (var store = new InfluxResultStore(new InfluxWriter(options, capture), zScoresOnEveryRow: zScoresOnEveryRow))
        {
            var batch = new ResultBatch();
            batch.Conditions.Add(Row(0, anomaly: false));
            batch.Conditions.Add(Row(1, anomaly: true));
            await store.WriteAsync(batch).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }

        return capture.Lines;
    }

    [Fact]
    public async Task By_default_z_scores_are_written_only_on_anomalous_rows()
    {
        var lines = await WriteAsync(zScoresOnEveryRow: false);
        lines.Should().HaveCount(2);
        lines[0].Should().Contain("anomaly=false").And.Contain("p_N=0.75").And.NotContain("z_");
        lines[1].Should().Contain("anomaly=true").And.Contain("z_I=0.5").And.Contain("z_G=9.5").And.Contain("z_W=-0.75");
    }

    [Fact]
    public async Task With_z_scores_on_every_row_normal_rows_carry_them_too()
    {
        var lines = await WriteAsync(zScoresOnEveryRow: true);
        lines.Should().HaveCount(2);
        lines.Should().OnlyContain(l => l.Contains("z_I=0.5") && l.Contains("z_V=-1.25") && l.Contains("z_TMod=0.125"));
    }

    [Fact]
    public async Task Every_line_written_uses_only_the_measurements_tags_and_fields_of_the_declared_schema()
    {
        var capture = new Capture();
        var options = new InfluxOptions { Url = "http://127.0.0.1:1", Version = 1, Database = "pv", SpoolPath = null, DeadLetterPath = null, FlushIntervalMs = 10 };
        await using (var store = new InfluxResultStore(new InfluxWriter(options, capture)))
        {
            var batch = new ResultBatch();
            batch.Telemetry.Add(new TelemetryRecord(Key, new TelemetrySample(T0, 8, 600, 800, 20, 40, 2)));
            batch.Conditions.Add(Row(0, anomaly: true));
            batch.Conditions.Add(ConditionRecord.ForNight(Key, T0.AddMinutes(2), "v1"));
            batch.Alerts.Add(new AlertEvent("p1", "inv1", ["s1"], AlertKind.AnomalyOpened, false, "N", 0.75, -40.5, T0, null, T0, "v1", "http://x/")
            {
                Sensors = [new SensorScore("G", 9.5)],
            });
            batch.DeadLetters.Add(new DeadLetterRecord(T0, "pv/p1/inv1/s1/telemetry", Encoding.UTF8.GetBytes("{x"), DeadLetterReason.MalformedJson, "bad"));
            await store.WriteAsync(batch).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }

        var seen = new Dictionary<string, (HashSet<string> Tags, HashSet<string> Fields)>();
        foreach (var line in capture.Lines)
        {
            // measurement,tag=v,... field=v,... time (no test value holds an unescaped space or comma in a key)
            var head = line[..line.IndexOf(' ')];
            var parts = head.Split(',');
            var fields = line[(head.Length + 1)..line.LastIndexOf(' ')];
            var entry = seen.TryGetValue(parts[0], out var e) ? e : seen[parts[0]] = ([], []);
            entry.Tags.UnionWith(parts.Skip(1).Select(t => t[..t.IndexOf('=')]));
            foreach (var field in SplitFields(fields)) entry.Fields.Add(field);
        }

        seen.Keys.Should().BeEquivalentTo(InfluxSchema.Measurements);
        foreach (var (measurement, (tags, fields)) in seen)
        {
            tags.Should().BeEquivalentTo(InfluxSchema.Tags(measurement), measurement);
            fields.Should().OnlyContain(f => InfluxSchema.IsField(measurement, f), measurement);
            fields.Should().Contain(InfluxSchema.Fields(measurement), measurement);
        }
    }

    /// <summary>The keys of a line-protocol field set (string values may hold commas and '=' inside quotes).</summary>
    private static IEnumerable<string> SplitFields(string fieldSet)
    {
        var inQuotes = false;
        var start = 0;
        for (var i = 0; i <= fieldSet.Length; i++)
        {
            if (i < fieldSet.Length && fieldSet[i] == '\\') { i++; continue; }
            if (i < fieldSet.Length && fieldSet[i] == '"') inQuotes = !inQuotes;
            if (i == fieldSet.Length || (fieldSet[i] == ',' && !inQuotes))
            {
                var pair = fieldSet[start..i];
                yield return pair[..pair.IndexOf('=')];
                start = i + 1;
            }
        }
    }
}
