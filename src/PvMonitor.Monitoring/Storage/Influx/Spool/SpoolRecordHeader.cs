using System.Buffers.Binary;

namespace PvMonitor.Monitoring.Storage.Influx.Spool;

/// <summary>
/// The 24-byte header in front of every spool record (little-endian):
/// magic <c>"PSP1"</c> · payload length · point count · flags · CRC-32C of the payload · CRC-32C of the first 20 header bytes.
/// The header's own checksum makes its length trustworthy, so a torn or overwritten header is told from a valid one.
/// </summary>
public readonly record struct SpoolRecordHeader(int PayloadLength, int PointCount, uint Flags, uint PayloadCrc)
{
    /// <summary>Header size in bytes.</summary>
    public const int Size = 24;

    /// <summary>"PSP1" read as a little-endian uint.</summary>
    public const uint Magic = 0x31505350;

    /// <summary>The header for <paramref name="payload"/>.</summary>
    public static SpoolRecordHeader For(ReadOnlySpan<byte> payload, int pointCount, uint flags) =>
        new(payload.Length, pointCount, flags, Crc32C.Compute(payload));

    /// <summary>Writes the header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], PayloadLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], PointCount);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], PayloadCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], Crc32C.Compute(destination[..20]));
    }

    /// <summary>Reads a header; false when the magic or the header checksum is wrong or a length is negative.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out SpoolRecordHeader header)
    {
        header = default;
        if (source.Length < Size || BinaryPrimitives.ReadUInt32LittleEndian(source) != Magic)
            return false;
        if (BinaryPrimitives.ReadUInt32LittleEndian(source[20..]) != Crc32C.Compute(source[..20]))
            return false;
        var length = BinaryPrimitives.ReadInt32LittleEndian(source[4..]);
        var points = BinaryPrimitives.ReadInt32LittleEndian(source[8..]);
        if (length < 0 || points < 0)
            return false;
        header = new SpoolRecordHeader(length, points, BinaryPrimitives.ReadUInt32LittleEndian(source[12..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[16..]));
        return true;
    }
}
