using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace PvMonitor.Monitoring.Storage.Influx.Spool;

public sealed partial class DiskSpool
{
    /// <summary>Finds the segments, restores the read position, counts pending records and cuts a torn tail off the newest segment.</summary>
    private void Recover()
    {
        var found = new List<(long Sequence, string Path)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(_directory, "*" + SegmentExtension))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.Length == 16 && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
                found.Add((sequence, path));
        }

        found.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        if (found.Count > 0)
            _nextSequence = found[^1].Sequence + 1;

        var (cursorSequence, cursorOffset) = LoadCursor();
        _nextSequence = Math.Max(_nextSequence, cursorSequence);
        foreach (var (sequence, path) in found)
        {
            if (sequence < cursorSequence)
            {
                TryDelete(path); // consumed before the last stop
                continue;
            }

            _segments.Add(new Segment(sequence, path, new FileInfo(path).Length));
        }

        _readOffset = _segments.Count > 0 && _segments[0].Sequence == cursorSequence
            ? Math.Min(cursorOffset, _segments[0].Length)
            : 0;

        for (var i = 0; i < _segments.Count; i++)
        {
            var segment = _segments[i];
            var offset = i == 0 ? _readOffset : 0;
            var validEnd = offset;
            while (TryReadAt(segment, offset, out var record, out var next, recovering: true))
            {
                _pendingRecords++;
                _pendingPoints += record.PointCount;
                validEnd = next;
                offset = next;
            }

            if (i == _segments.Count - 1 && validEnd < segment.Length)
            {
                // A torn write at the end (crash mid-append): cut it off so new records follow valid ones.
                var torn = segment.Length - validEnd;
                RandomAccess.SetLength(segment.OpenForAppend(), validEnd);
                segment.Length = validEnd;
                _bytesSkipped += torn;
                LogTornTail(segment.Path, validEnd, torn);
            }

            _sizeBytes += segment.Length;
        }

        _cursorHandle = File.OpenHandle(Path.Combine(_directory, CursorFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        while (_segments.Count > 0 && _readOffset >= _segments[0].Length && (_segments.Count > 1 || _pendingRecords == 0))
        {
            if (!AdvancePastExhaustedSegment())
                break;
        }

        SaveCursor();
        if (_pendingRecords > 0)
            LogRecovered(_directory, _pendingRecords, _pendingPoints, _sizeBytes);
    }

    private (long Sequence, long Offset) LoadCursor()
    {
        var path = Path.Combine(_directory, CursorFileName);
        if (!File.Exists(path))
            return (0, 0);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length >= CursorSize && BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)) == Crc32C.Compute(bytes.AsSpan(0, 16)))
            return (BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));
        LogCursorUnreadable(path);
        return (0, 0);
    }

    private void SaveCursor()
    {
        if (_cursorHandle is null) return;
        Span<byte> bytes = stackalloc byte[CursorSize];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, _segments.Count > 0 ? _segments[0].Sequence : _nextSequence);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], _segments.Count > 0 ? _readOffset : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[16..], Crc32C.Compute(bytes[..16]));
        RandomAccess.Write(_cursorHandle, bytes, 0);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB spool {Directory} is full ({SizeBytes} of {MaxBytes} bytes): writes wait until the server takes the backlog")]
    private partial void LogSpoolFull(string directory, long sizeBytes, long maxBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool segment {Path}: record at offset {Offset} ({Length} bytes) failed its checksum and was skipped")]
    private partial void LogCorruptRecord(string path, long offset, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool segment {Path}: {Bytes} unreadable bytes at offset {Offset} skipped")]
    private partial void LogSkipped(string path, long offset, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool segment {Path}: torn write of {Bytes} bytes after offset {Offset} (crash mid-append) truncated")]
    private partial void LogTornTail(string path, long offset, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool cursor {Path} unreadable: replaying the spool from its oldest record")]
    private partial void LogCursorUnreadable(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "InfluxDB spool {Directory} holds {Records} batches ({Points} points, {Bytes} bytes) to replay")]
    private partial void LogRecovered(string directory, long records, long points, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete spool segment {Path}: {Error}")]
    private partial void LogDeleteFailed(string path, string error);
}
