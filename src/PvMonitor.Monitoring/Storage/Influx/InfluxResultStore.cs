using System.Globalization;
using System.Text;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;
using PvMonitor.Monitoring.Storage.Influx.Writing;

namespace PvMonitor.Monitoring.Storage.Influx;

/// <summary>
/// <see cref="IResultStore"/> on an <see cref="InfluxWriter"/> (InfluxDB 1.x or 2.x, as the writer's options say).
/// <see cref="WriteAsync"/> completes when every point of the batch is durable in the writer's sense: written, spooled to
/// disk, or dead-lettered as refused bad data.
/// </summary>
/// <remarks>
/// Measurements (<see cref="InfluxSchema"/>; timestamps are the sample's time, so a redelivery overwrites):
/// <list type="bullet">
/// <item><c>pv_telemetry</c> tags plant, inverter, string; fields I, V, G, TExt, TMod, W.</item>
/// <item><c>pv_condition</c> tags plant, inverter, string, model_version; fields condition, confidence, p_&lt;class&gt;, elbo,
/// anomaly, night, and z_&lt;feature&gt; (reconstruction z-scores, SDGM only) on anomalous rows — on every row with
/// <see cref="ZScoresOnEveryRow"/>. Night rows carry condition, anomaly and night only.</item>
/// <item><c>pv_alert</c> tags plant, inverter, kind, repeat; fields strings, condition, confidence, elbo, from, to (ISO-8601, empty
/// while open), model_version, link, sensors (<c>V=-7.25;I=3.5</c>, empty unless anomaly_opened); time = the alert's time (a
/// replayed alert overwrites).</item>
/// <item><c>pv_deadletter</c> tag reason; fields topic, payload (UTF-8, control characters escaped, at most
/// <see cref="MaxStoredPayloadChars"/> characters), payload_bytes, message; time = receive time, made unique per store instance by
/// moving equal milliseconds forward by 1 ms.</item>
/// </list>
/// </remarks>
public sealed class InfluxResultStore : IFlushableResultStore
{
    /// <summary>Longest dead-letter payload stored, characters. 16,384.</summary>
    public const int MaxStoredPayloadChars = 16_384;

    private readonly InfluxWriter _writer;
    private readonly bool _ownsWriter;
    private readonly PointData _point = PointData.Measurement(InfluxSchema.Telemetry);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, string> _probabilityFields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _zFields = new(StringComparer.Ordinal);
    private long _lastDeadLetterMs;

    /// <summary>Wraps <paramref name="writer"/>; disposes it with the store when <paramref name="ownsWriter"/> (default true).</summary>
    /// <param name="writer">The InfluxDB writer.</param>
    /// <param name="ownsWriter">Dispose the writer with the store.</param>
    /// <param name="zScoresOnEveryRow">
    /// Store the reconstruction z-scores on every scored row, not only on anomalous ones. Default false: the z-scores say which
    /// sensor looks wrong, which matters when the sample is an anomaly, and the six fields are about a quarter of what InfluxDB
    /// has to ingest per message.
    /// </param>
    public InfluxResultStore(InfluxWriter writer, bool ownsWriter = true, bool zScoresOnEveryRow = false)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _ownsWriter = ownsWriter;
        ZScoresOnEveryRow = zScoresOnEveryRow;
    }

    /// <summary>Whether z-scores are stored on every scored row (true) or only on anomalous rows (false, the default).</summary>
    public bool ZScoresOnEveryRow { get; }

    /// <summary>The writer (status, spool size).</summary>
    public InfluxWriter Writer => _writer;

    /// <inheritdoc />
    /// <remarks>
    /// Points are handed to the writer under a lock (so batches keep their order); durability is awaited outside it, so several
    /// batches may be in flight at once and share one request. The writer sends when its batch is full, after its flush interval,
    /// or on <see cref="RequestFlush"/>.
    /// </remarks>
    public async ValueTask WriteAsync(ResultBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var pending = new List<Task>();
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (var t in batch.Telemetry) await AddAsync(Telemetry(t), pending, cancellationToken).ConfigureAwait(false);
                foreach (var c in batch.Conditions) await AddAsync(Condition(c), pending, cancellationToken).ConfigureAwait(false);
                foreach (var a in batch.Alerts) await AddAsync(Alert(a), pending, cancellationToken).ConfigureAwait(false);
                foreach (var d in batch.DeadLetters) await AddAsync(DeadLetter(d), pending, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }

            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not StoreWriteException)
        {
            throw new StoreWriteException($"InfluxDB write of {batch.Count} rows failed: {ex.Message}", ex);
        }
    }

    private async ValueTask AddAsync(PointData point, List<Task> pending, CancellationToken cancellationToken)
    {
        var write = _writer.WriteAsync(point, cancellationToken);
        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            return;
        }

        var task = write.AsTask();
        if (task.IsCompleted)
        {
            await task.ConfigureAwait(false);
        }
        else if (pending.Count == 0 || !ReferenceEquals(pending[^1], task))
        {
            pending.Add(task);
        }
    }

    /// <inheritdoc />
    public void RequestFlush() => _ = _writer.FlushAsync();

    private PointData Telemetry(in TelemetryRecord t)
    {
        var s = t.Sample;
        return _point.Reset(InfluxSchema.Telemetry)
            .Tag("plant", t.Key.Plant).Tag("inverter", t.Key.Inverter).Tag("string", t.Key.String)
            .Field("I", s.I).Field("V", s.V).Field("G", s.G).Field("TExt", s.TExt).Field("TMod", s.TMod).Field("W", s.W)
            .Timestamp(s.Time);
    }

    private PointData Condition(in ConditionRecord c)
    {
        var p = _point.Reset(InfluxSchema.Condition)
            .Tag("plant", c.Key.Plant).Tag("inverter", c.Key.Inverter).Tag("string", c.Key.String).Tag("model_version", c.ModelVersion)
            .Field("condition", c.Condition).Field("anomaly", c.Anomaly).Field("night", c.Night)
            .Timestamp(c.Time);
        if (double.IsFinite(c.Confidence)) p.Field("confidence", c.Confidence);
        if (double.IsFinite(c.Elbo)) p.Field("elbo", c.Elbo);
        var probs = c.Probabilities.Span;
        for (var k = 0; k < probs.Length && k < c.ClassCodes.Count; k++)
            if (double.IsFinite(probs[k])) p.Field(FieldName(_probabilityFields, InfluxSchema.ProbabilityPrefix, c.ClassCodes[k]), probs[k]);
        if (c.Features is { } features && (c.Anomaly || ZScoresOnEveryRow))
        {
            var z = c.ReconstructionZ.Span;
            for (var f = 0; f < z.Length && f < features.Count; f++)
                if (float.IsFinite(z[f])) p.Field(FieldName(_zFields, InfluxSchema.ZScorePrefix, features[f]), z[f]);
        }

        return p;
    }

    private PointData Alert(AlertEvent a)
    {
        var p = _point.Reset(InfluxSchema.Alert)
            .Tag("plant", a.Plant).Tag("inverter", a.Inverter).Tag("kind", a.Kind.ToWireName()).Tag("repeat", a.IsRepeat ? "true" : "false")
            .Field("strings", a.StringList)
            .Field("condition", a.Condition ?? "")
            .Field("from", Iso(a.From))
            .Field("to", a.To is { } to ? Iso(to) : "")
            .Field("model_version", a.ModelVersion)
            .Field("link", a.Link)
            .Field("sensors", SensorScore.Format(a.Sensors))
            .Timestamp(a.Time);
        if (double.IsFinite(a.Confidence)) p.Field("confidence", a.Confidence);
        if (double.IsFinite(a.Elbo)) p.Field("elbo", a.Elbo);
        return p;
    }

    private PointData DeadLetter(in DeadLetterRecord d)
    {
        var ms = d.Received.ToUnixTimeMilliseconds();
        if (ms <= _lastDeadLetterMs) ms = _lastDeadLetterMs + 1;
        _lastDeadLetterMs = ms;
        return _point.Reset(InfluxSchema.DeadLetter)
            .Tag("reason", d.Reason.ToLabel())
            .Field("topic", Printable(d.Topic))
            .Field("payload", PayloadText(d.Payload.Span))
            .Field("payload_bytes", (long)d.Payload.Length)
            .Field("message", Printable(d.Message))
            .Timestamp(DateTimeOffset.FromUnixTimeMilliseconds(ms));
    }

    private static string FieldName(Dictionary<string, string> cache, string prefix, string name)
    {
        if (!cache.TryGetValue(name, out var field))
        {
            field = prefix + name;
            cache[name] = field;
        }

        return field;
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string PayloadText(ReadOnlySpan<byte> payload)
    {
        var text = Encoding.UTF8.GetString(payload.Length > MaxStoredPayloadChars * 4 ? payload[..(MaxStoredPayloadChars * 4)] : payload);
        if (text.Length > MaxStoredPayloadChars) text = text[..MaxStoredPayloadChars];
        return Printable(text);
    }

    private static string Printable(string text)
    {
        var clean = true;
        foreach (var ch in text)
        {
            if (ch < ' ' || ch == '\u007f')
            {
                clean = false;
                break;
            }
        }

        if (clean) return text;
        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ' or '\u007f': sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(ch); break;
            }
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsWriter) await _writer.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
