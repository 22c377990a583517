using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace PvMonitor.Monitoring.Storage.Influx.Spool;

public sealed partial class DiskSpool
{
    private byte[] ReadBuffer(int size)
    {
        if (_readBuffer.Length >= size)
            return _readBuffer;
        if (_readBuffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_readBuffer);
        _readBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 64 * 1024));
        return _readBuffer;
    }

    /// <summary>
    /// Reads the first valid record at or after <paramref name="offset"/> in <paramref name="segment"/>; counts corrupt records
    /// and skipped bytes on the way. False when none is left in the segment.
    /// </summary>
    private bool TryReadAt(Segment segment, long offset, out SpoolRecord record, out long next, bool recovering = false)
    {
        var handle = segment.OpenForRead();
        while (offset < segment.Length)
        {
            var remaining = segment.Length - offset;
            if (remaining >= SpoolRecordHeader.Size
                && RandomAccess.Read(handle, _header, offset) == SpoolRecordHeader.Size
                && SpoolRecordHeader.TryRead(_header, out var header)
                && header.PayloadLength <= remaining - SpoolRecordHeader.Size)
            {
                var buffer = ReadBuffer(header.PayloadLength);
                var payload = buffer.AsMemory(0, header.PayloadLength);
                var read = ReadFully(handle, payload.Span, offset + SpoolRecordHeader.Size);
                next = offset + SpoolRecordHeader.Size + header.PayloadLength;
                if (read == header.PayloadLength && Crc32C.Compute(payload.Span) == header.PayloadCrc)
                {
                    record = new SpoolRecord(payload, header.PointCount, header.Flags, segment.Sequence, offset, next);
                    return true;
                }

                if (!recovering)
                {
                    _corruptRecords++;
                    _pendingRecords = Math.Max(0, _pendingRecords - 1);
                    _pendingPoints = Math.Max(0, _pendingPoints - header.PointCount);
                    LogCorruptRecord(segment.Path, offset, header.PayloadLength);
                }

                offset = next;
                continue;
            }

            // No valid header here: look for the next one.
            var found = FindNextHeader(segment, handle, offset + 1);
            if (!recovering)
            {
                _bytesSkipped += found - offset;
                LogSkipped(segment.Path, offset, found - offset);
            }

            offset = found;
        }

        record = default;
        next = segment.Length;
        return false;
    }

    /// <summary>Offset of the next position at or after <paramref name="from"/> holding a valid header whose payload fits, or the segment length.</summary>
    private long FindNextHeader(Segment segment, SafeFileHandle handle, long from)
    {
        const int chunk = 64 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(chunk + SpoolRecordHeader.Size);
        try
        {
            var magic = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(magic, SpoolRecordHeader.Magic);
            var position = from;
            while (position + SpoolRecordHeader.Size <= segment.Length)
            {
                var toRead = (int)Math.Min(chunk + SpoolRecordHeader.Size, segment.Length - position);
                var read = ReadFully(handle, buffer.AsSpan(0, toRead), position);
                var span = buffer.AsSpan(0, read);
                var searchFrom = 0;
                while (true)
                {
                    var i = span[searchFrom..].IndexOf(magic);
                    if (i < 0) break;
                    i += searchFrom;
                    if (i + SpoolRecordHeader.Size > span.Length) break;
                    if (SpoolRecordHeader.TryRead(span.Slice(i, SpoolRecordHeader.Size), out var header)
                        && header.PayloadLength <= segment.Length - (position + i) - SpoolRecordHeader.Size)
                        return position + i;
                    searchFrom = i + 1;
                }

                if (read < chunk + SpoolRecordHeader.Size) break;
                position += chunk;
            }

            return segment.Length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int ReadFully(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var n = RandomAccess.Read(handle, destination[total..], offset + total);
            if (n == 0) break;
            total += n;
        }

        return total;
    }

    private sealed class Segment(long sequence, string path, long length)
    {
        private SafeFileHandle? _read;
        private SafeFileHandle? _append;

        public long Sequence { get; } = sequence;
        public string Path { get; } = path;
        public long Length { get; set; } = length;

        public SafeFileHandle OpenForRead() =>
            _read ??= File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        public SafeFileHandle OpenForAppend() =>
            _append ??= File.OpenHandle(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);

        public void Close()
        {
            _read?.Dispose();
            _append?.Dispose();
            _read = null;
            _append = null;
        }
    }
}
