using System.Text;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;
using PvMonitor.Monitoring.Storage.Influx.Writing;

namespace PvMonitor.Monitoring.Tests.Storage.Influx.TestSupport;

/// <summary>
/// An in-memory server: stores lines, can be "down", rejects lines containing <c>BAD</c> like InfluxDB 1.x
/// (writes the good ones, answers 400 <c>partial write: unable to parse '…'</c>), and can answer scripted results.
/// </summary>
public sealed class FakeEndpoint : IInfluxWriteEndpoint
{
    private readonly object _gate = new();
    private readonly List<string> _stored = [];
    private readonly List<int> _requestSizes = [];
    private readonly Queue<WriteResult> _scripted = new();

    public bool Down { get; set; }

    /// <summary>When set, every request waits for this task before it is answered (a slow server); <see cref="Started"/> counts arrivals.</summary>
    public Task? HoldUntil { get; set; }

    private int _started;

    /// <summary>Requests that have arrived, answered or not.</summary>
    public int Started => Volatile.Read(ref _started);

    public int Requests
    {
        get { lock (_gate) return _requestSizes.Count; }
    }

    public IReadOnlyList<int> RequestLineCounts
    {
        get { lock (_gate) return _requestSizes.ToArray(); }
    }

    public IReadOnlyList<string> Stored
    {
        get { lock (_gate) return _stored.ToArray(); }
    }

    public WritePrecision? LastPrecision { get; private set; }

    public void Script(params WriteResult[] results)
    {
        lock (_gate)
        {
            foreach (var r in results) _scripted.Enqueue(r);
        }
    }

    /// <summary>Splits at newlines outside string field values (quotes count only after the first unescaped space, as the server does).</summary>
    public static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        var inFields = false;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\') { i++; continue; }
            if (c == ' ') inFields = true;
            else if (c == '"' && inFields) quoted = !quoted;
            else if (c == '\n' && !quoted)
            {
                if (i > start) lines.Add(text[start..i]);
                start = i + 1;
                inFields = false;
            }
        }

        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }

    public ValueTask<WriteResult> WriteAsync(ReadOnlyMemory<byte> lines, WritePrecision precision, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _started);
        if (HoldUntil is { IsCompleted: false } hold)
            return HeldAsync(hold, lines.ToArray(), precision);
        return Answer(lines, precision);
    }

    private async ValueTask<WriteResult> HeldAsync(Task hold, byte[] lines, WritePrecision precision)
    {
        await hold.ConfigureAwait(false);
        return await Answer(lines, precision).ConfigureAwait(false);
    }

    private ValueTask<WriteResult> Answer(ReadOnlyMemory<byte> lines, WritePrecision precision)
    {
        var text = Encoding.UTF8.GetString(lines.Span);
        var split = SplitLines(text);
        lock (_gate)
        {
            _requestSizes.Add(split.Count);
            LastPrecision = precision;
            if (_scripted.TryDequeue(out var scripted))
                return ValueTask.FromResult(scripted);
            if (Down)
                return ValueTask.FromResult(new WriteResult(WriteStatus.Retryable, 0, "connection failed: Connection refused", null));
            string? bad = null;
            foreach (var line in split)
            {
                if (line.Contains("BAD", StringComparison.Ordinal))
                    bad ??= line;
                else
                    _stored.Add(line);
            }

            return ValueTask.FromResult(bad is null
                ? WriteResult.Written
                : new WriteResult(WriteStatus.Rejected, 400, $"partial write: unable to parse '{bad}': invalid field format dropped=0", null));
        }
    }
}
