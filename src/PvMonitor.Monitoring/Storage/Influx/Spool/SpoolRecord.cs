namespace PvMonitor.Monitoring.Storage.Influx.Spool;

/// <summary>
/// The oldest unacknowledged record of a <see cref="DiskSpool"/>. <see cref="Payload"/> lives in the spool's read buffer
/// and stays valid until the next <see cref="DiskSpool.TryReadNext"/> or <see cref="DiskSpool.Acknowledge"/>.
/// </summary>
public readonly struct SpoolRecord
{
    internal SpoolRecord(ReadOnlyMemory<byte> payload, int pointCount, uint flags, long segment, long offset, long nextOffset)
    {
        Payload = payload;
        PointCount = pointCount;
        Flags = flags;
        Segment = segment;
        Offset = offset;
        NextOffset = nextOffset;
    }

    /// <summary>The bytes appended.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The point count given when appending.</summary>
    public int PointCount { get; }

    /// <summary>The flags given when appending.</summary>
    public uint Flags { get; }

    /// <summary>Sequence number of the segment file holding the record.</summary>
    public long Segment { get; }

    /// <summary>Offset of the record's header in its segment.</summary>
    public long Offset { get; }

    internal long NextOffset { get; }
}
