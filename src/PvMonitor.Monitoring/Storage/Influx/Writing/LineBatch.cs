using System.Buffers;
using System.Buffers.Binary;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;

namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>
/// Encoded lines plus where each ends, so a rejected batch can be split at line boundaries (string fields may hold newlines,
/// so the text alone does not tell). Also the spool payload format: <c>u32 count · u32 lineEnd × count · text</c>.
/// </summary>
internal sealed class LineBatch : IDisposable
{
    private int[] _lineEnds;

    public LineBatch(int expectedLines, int expectedBytes)
    {
        Text = new PooledBufferWriter(expectedBytes);
        _lineEnds = ArrayPool<int>.Shared.Rent(Math.Max(16, expectedLines));
    }

    public PooledBufferWriter Text { get; }

    public int Count { get; private set; }

    public WritePrecision Precision { get; set; }

    /// <summary>Completes when every line is durable (written, dead-lettered or spooled).</summary>
    public TaskCompletionSource? Completion { get; set; }

    /// <summary>Writer clock timestamp (<see cref="TimeProvider.GetTimestamp"/>) of the first line.</summary>
    public long OpenedAt { get; set; }

    public void Reset(WritePrecision precision)
    {
        Text.Reset();
        Count = 0;
        Precision = precision;
        Completion = null;
    }

    /// <summary>Records that a line ended at the current end of <see cref="Text"/>.</summary>
    public void EndLine()
    {
        if (Count == _lineEnds.Length)
            EndLineGrow();
        _lineEnds[Count++] = Text.WrittenCount;
    }

    /// <summary>Lines [<paramref name="from"/>, <paramref name="to"/>) as one block of text.</summary>
    public ReadOnlyMemory<byte> Lines(int from, int to)
    {
        var start = from == 0 ? 0 : _lineEnds[from - 1];
        return Text.WrittenMemory[start.._lineEnds[to - 1]];
    }

    /// <summary>Line <paramref name="index"/> without its trailing newline.</summary>
    public ReadOnlySpan<byte> Line(int index)
    {
        var span = Lines(index, index + 1).Span;
        return span.Length > 0 && span[^1] == (byte)'\n' ? span[..^1] : span;
    }

    public int SpoolPayloadLength => 4 + 4 * Count + Text.WrittenCount;

    public void WriteSpoolPayload(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, Count);
        for (var i = 0; i < Count; i++)
            BinaryPrimitives.WriteInt32LittleEndian(destination[(4 + 4 * i)..], _lineEnds[i]);
        Text.WrittenSpan.CopyTo(destination[(4 + 4 * Count)..]);
    }

    /// <summary>Loads a spool payload; false when it is not well formed.</summary>
    public bool TryLoadSpoolPayload(ReadOnlySpan<byte> payload, WritePrecision precision)
    {
        Reset(precision);
        if (payload.Length < 4) return false;
        var count = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (count < 0 || (long)count * 4 + 4 > payload.Length) return false;
        var text = payload[(4 + 4 * count)..];
        Text.Write(text);
        var previous = 0;
        for (var i = 0; i < count; i++)
        {
            var end = BinaryPrimitives.ReadInt32LittleEndian(payload[(4 + 4 * i)..]);
            if (end <= previous || end > text.Length) return false;
            if (Count == _lineEnds.Length) EndLineGrow();
            _lineEnds[Count++] = end;
            previous = end;
        }

        return previous == text.Length;
    }

    private void EndLineGrow()
    {
        var bigger = ArrayPool<int>.Shared.Rent(_lineEnds.Length * 2);
        _lineEnds.AsSpan(0, Count).CopyTo(bigger);
        ArrayPool<int>.Shared.Return(_lineEnds);
        _lineEnds = bigger;
    }

    public void Dispose()
    {
        Text.Dispose();
        if (_lineEnds.Length > 0)
            ArrayPool<int>.Shared.Return(_lineEnds);
        _lineEnds = [];
    }
}
