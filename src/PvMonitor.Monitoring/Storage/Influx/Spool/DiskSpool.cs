using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace PvMonitor.Monitoring.Storage.Influx.Spool;

/// <summary>
/// A durable FIFO of byte records on disk: append-only segment files (<c>0000000000000001.seg</c>, …) of records with a
/// checksummed header and a checksummed payload (<see cref="SpoolRecordHeader"/>), bounded in total size, read back in order.
/// </summary>
/// <remarks>
/// <para>Appends are fsynced (when enabled) before <see cref="TryAppend"/> returns, so a true result means the record survives a crash.</para>
/// <para>On open every segment is checked. A torn write at the end of the newest segment (a crash mid-append) is truncated away;
/// a record whose payload checksum fails is skipped and counted; an unreadable header makes the reader look for the next valid
/// header in that segment. The read position is kept in a small <c>cursor</c> file after every <see cref="Acknowledge"/>;
/// if that file is lost, records are replayed again (at least once, never lost).</para>
/// <para>One producer and one consumer at a time; every public member takes a lock, so status may be read from any thread.</para>
/// </remarks>
public sealed partial class DiskSpool : IDisposable
{
    private const string SegmentExtension = ".seg";
    private const string CursorFileName = "cursor";
    private const int CursorSize = 20;

    private readonly object _gate = new();
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly long _segmentBytes;
    private readonly bool _fsync;
    private readonly ILogger _logger;
    private readonly List<Segment> _segments = [];
    private readonly byte[] _header = new byte[SpoolRecordHeader.Size];
    private SafeFileHandle? _cursorHandle;
    private byte[] _readBuffer = [];
    private long _readOffset;
    private long _nextSequence = 1;
    private long _sizeBytes;
    private long _pendingRecords;
    private long _pendingPoints;
    private long _corruptRecords;
    private long _bytesSkipped;
    private bool _full;
    private bool _disposed;

    private DiskSpool(string directory, long maxBytes, long segmentBytes, bool fsync, ILogger logger)
    {
        _directory = directory;
        _maxBytes = maxBytes;
        _segmentBytes = segmentBytes;
        _fsync = fsync;
        _logger = logger;
    }

    /// <summary>The spool folder.</summary>
    public string Directory => _directory;

    /// <summary>
    /// Opens (creating if needed) the spool in <paramref name="directory"/>, bounded to <paramref name="maxBytes"/> bytes on disk,
    /// starting a new segment file past <paramref name="segmentBytes"/> bytes; <paramref name="fsync"/> makes every append durable.
    /// </summary>
    public static DiskSpool Open(string directory, long maxBytes, long segmentBytes = 16L << 20, bool fsync = true, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, SpoolRecordHeader.Size + 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentBytes, SpoolRecordHeader.Size + 1);
        System.IO.Directory.CreateDirectory(directory);
        var spool = new DiskSpool(Path.GetFullPath(directory), maxBytes, segmentBytes, fsync, logger ?? NullLogger.Instance);
        try
        {
            spool.Recover();
        }
        catch
        {
            spool.Dispose();
            throw;
        }

        return spool;
    }

    /// <summary>True when no record waits to be read.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
                return IsEmptyLocked();
        }
    }

    /// <summary>True after an append was refused for lack of room, until room is made.</summary>
    public bool IsFull
    {
        get
        {
            lock (_gate)
                return _full;
        }
    }

    /// <summary>A snapshot of size, bound, pending records/points, the full flag and skipped data.</summary>
    public SpoolStatus GetStatus()
    {
        lock (_gate)
            return new SpoolStatus(_sizeBytes, _maxBytes, _pendingRecords, _pendingPoints, _segments.Count, _full, _corruptRecords, _bytesSkipped);
    }

    /// <summary>
    /// Appends one record (durable on return when fsync is on). Returns false, and reports the spool full, when the record
    /// would take the spool past its bound; nothing is written then.
    /// </summary>
    public bool TryAppend(ReadOnlySpan<byte> payload, int pointCount, uint flags = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pointCount);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long recordBytes = SpoolRecordHeader.Size + payload.Length;
            if (_sizeBytes + recordBytes > _maxBytes)
            {
                if (!_full)
                    LogSpoolFull(_directory, _sizeBytes, _maxBytes);
                _full = true;
                return false;
            }

            var segment = _segments.Count > 0 ? _segments[^1] : null;
            if (segment is null || (segment.Length > 0 && segment.Length + recordBytes > _segmentBytes))
                segment = StartSegment();

            SpoolRecordHeader.For(payload, pointCount, flags).WriteTo(_header);
            var handle = segment.OpenForAppend();
            var offset = segment.Length;
            try
            {
                RandomAccess.Write(handle, _header, offset);
                RandomAccess.Write(handle, payload, offset + SpoolRecordHeader.Size);
                if (_fsync)
                    RandomAccess.FlushToDisk(handle);
            }
            catch
            {
                // Leave no half record behind for the reader.
                TryTruncate(handle, offset);
                throw;
            }

            segment.Length += recordBytes;
            _sizeBytes += recordBytes;
            _pendingRecords++;
            _pendingPoints += pointCount;
            _full = false;
            return true;
        }
    }

    /// <summary>
    /// Reads the oldest unacknowledged record, skipping corrupt or torn data on the way. Returns the same record again until
    /// <see cref="Acknowledge"/> is called for it. False when the spool is empty.
    /// </summary>
    public bool TryReadNext(out SpoolRecord record)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            while (_segments.Count > 0)
            {
                var segment = _segments[0];
                if (_readOffset < segment.Length && TryReadAt(segment, _readOffset, out record, out var next))
                {
                    if (record.Offset > _readOffset)
                    {
                        // Skipped unreadable bytes before this record: move past them for good.
                        _readOffset = record.Offset;
                        SaveCursor();
                    }

                    _ = next;
                    return true;
                }

                // Nothing readable left in this segment.
                _readOffset = segment.Length;
                if (!AdvancePastExhaustedSegment())
                    break;
            }

            ResetCountsIfEmpty();
            record = default;
            return false;
        }
    }

    /// <summary>Marks <paramref name="record"/> (the one last returned by <see cref="TryReadNext"/>) as done; frees finished segments.</summary>
    public void Acknowledge(in SpoolRecord record)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_segments.Count == 0 || _segments[0].Sequence != record.Segment || record.Offset != _readOffset)
                throw new InvalidOperationException("Only the record last returned by TryReadNext can be acknowledged.");
            _readOffset = record.NextOffset;
            _pendingRecords = Math.Max(0, _pendingRecords - 1);
            _pendingPoints = Math.Max(0, _pendingPoints - record.PointCount);
            if (_readOffset >= _segments[0].Length)
                AdvancePastExhaustedSegment();
            SaveCursor();
            ResetCountsIfEmpty();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var segment in _segments)
                segment.Close();
            _cursorHandle?.Dispose();
            if (_readBuffer.Length > 0)
                ArrayPool<byte>.Shared.Return(_readBuffer);
            _readBuffer = [];
        }
    }

    private bool IsEmptyLocked() =>
        _segments.Count == 0 || (_segments.Count == 1 && _readOffset >= _segments[0].Length);

    private void ResetCountsIfEmpty()
    {
        if (IsEmptyLocked())
        {
            _pendingRecords = 0;
            _pendingPoints = 0;
        }
    }

    /// <summary>Deletes the exhausted first segment (or, if it is the only one, empties the spool). False when nothing is left.</summary>
    private bool AdvancePastExhaustedSegment()
    {
        var segment = _segments[0];
        segment.Close();
        TryDelete(segment.Path);
        _sizeBytes -= segment.Length;
        _segments.RemoveAt(0);
        _readOffset = 0;
        _full = false;
        return _segments.Count > 0;
    }

    private Segment StartSegment()
    {
        var sequence = _nextSequence++;
        var path = Path.Combine(_directory, sequence.ToString("D16", CultureInfo.InvariantCulture) + SegmentExtension);
        var segment = new Segment(sequence, path, 0);
        using (File.Open(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
        }

        _segments.Add(segment);
        if (_segments.Count == 1)
        {
            _readOffset = 0;
            SaveCursor();
        }

        return segment;
    }

    private static void TryTruncate(SafeFileHandle handle, long length)
    {
        try
        {
            RandomAccess.SetLength(handle, length);
        }
        catch (IOException)
        {
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException e)
        {
            LogDeleteFailed(path, e.Message);
        }
    }
}
