using System.Text;
using PvMonitor.Monitoring.Storage.Influx.Spool;
using PvMonitor.Monitoring.Tests.Storage.Influx.TestSupport;

namespace PvMonitor.Monitoring.Tests.Storage.Influx.Spool;

public class DiskSpoolTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private DiskSpool Open(long max = 1 << 20, long segment = 4096) => DiskSpool.Open(_dir.Path, max, segment, fsync: false);

    private static byte[] Payload(int i, int size = 100) =>
        Encoding.ASCII.GetBytes($"record-{i:D5}".PadRight(size, (char)('a' + i % 26)));

    private static List<string> Drain(DiskSpool spool)
    {
        var read = new List<string>();
        while (spool.TryReadNext(out var r))
        {
            read.Add(Encoding.ASCII.GetString(r.Payload.Span)[..12]);
            spool.Acknowledge(r);
        }

        return read;
    }

    [Fact]
    public void Records_come_back_in_order_across_segments_and_reopening()
    {
        using (var spool = Open())
        {
            for (var i = 0; i < 100; i++)
                spool.TryAppend(Payload(i), pointCount: 3, flags: 2).Should().BeTrue();
            var status = spool.GetStatus();
            status.PendingRecords.Should().Be(100);
            status.PendingPoints.Should().Be(300);
            status.Segments.Should().BeGreaterThan(1, "4 KiB segments hold ~32 records");
        }

        using (var spool = Open())
        {
            spool.GetStatus().PendingRecords.Should().Be(100);
            spool.TryReadNext(out var first).Should().BeTrue();
            first.Flags.Should().Be(2u);
            first.PointCount.Should().Be(3);
            // Not acknowledged: the same record again.
            spool.TryReadNext(out var again).Should().BeTrue();
            again.Offset.Should().Be(first.Offset);
            Drain(spool).Should().Equal(Enumerable.Range(0, 100).Select(i => $"record-{i:D5}"));
            spool.IsEmpty.Should().BeTrue();
            spool.GetStatus().Should().Match<SpoolStatus>(s => s.PendingPoints == 0 && s.SizeBytes == 0 && s.Segments == 0);
        }

        Directory.GetFiles(_dir.Path, "*.seg").Should().BeEmpty("consumed segments are deleted");
    }

    [Fact]
    public void The_read_position_survives_a_restart()
    {
        using (var spool = Open())
        {
            for (var i = 0; i < 50; i++) spool.TryAppend(Payload(i), 1);
            for (var i = 0; i < 20; i++)
            {
                spool.TryReadNext(out var r).Should().BeTrue();
                spool.Acknowledge(r);
            }
        }

        using (var spool = Open())
        {
            spool.GetStatus().PendingRecords.Should().Be(30);
            Drain(spool).Should().Equal(Enumerable.Range(20, 30).Select(i => $"record-{i:D5}"));
        }
    }

    [Fact]
    public void Appends_interleaved_with_reads_keep_fifo_order()
    {
        using var spool = Open();
        var expected = new List<string>();
        var read = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            spool.TryAppend(Payload(i), 1).Should().BeTrue();
            expected.Add($"record-{i:D5}");
            if (i % 3 == 0 && spool.TryReadNext(out var r))
            {
                read.Add(Encoding.ASCII.GetString(r.Payload.Span)[..12]);
                spool.Acknowledge(r);
            }
        }

        read.AddRange(Drain(spool));
        read.Should().Equal(expected);
    }

    [Fact]
    public void A_torn_write_at_the_end_of_the_last_segment_is_cut_off_and_appending_continues()
    {
        using (var spool = Open(segment: 1 << 20))
        {
            for (var i = 0; i < 5; i++) spool.TryAppend(Payload(i), 1);
        }

        var segment = Directory.GetFiles(_dir.Path, "*.seg").Single();
        var intact = new FileInfo(segment).Length;
        // A crash mid-append: a header and half a payload.
        var torn = new byte[SpoolRecordHeader.Size + 100];
        SpoolRecordHeader.For(Payload(99, 200), 1, 0).WriteTo(torn);
        using (var f = new FileStream(segment, FileMode.Append)) f.Write(torn, 0, torn.Length);

        using (var spool = Open(segment: 1 << 20))
        {
            var status = spool.GetStatus();
            status.PendingRecords.Should().Be(5);
            status.BytesSkipped.Should().Be(torn.Length);
            new FileInfo(segment).Length.Should().Be(intact, "the torn tail is truncated");
            spool.TryAppend(Payload(5), 1).Should().BeTrue();
            Drain(spool).Should().Equal(Enumerable.Range(0, 6).Select(i => $"record-{i:D5}"));
        }
    }

    [Theory]
    [InlineData(5)]    // only part of a header
    [InlineData(24)]   // a header of zeros (pre-allocated but never written)
    [InlineData(3000)] // a zero-filled extent
    public void A_garbage_or_zero_tail_is_detected(int tailBytes)
    {
        using (var spool = Open(segment: 1 << 20))
        {
            for (var i = 0; i < 3; i++) spool.TryAppend(Payload(i), 1);
        }

        var segment = Directory.GetFiles(_dir.Path, "*.seg").Single();
        using (var f = new FileStream(segment, FileMode.Append)) f.Write(new byte[tailBytes]);

        using var reopened = Open(segment: 1 << 20);
        reopened.GetStatus().BytesSkipped.Should().Be(tailBytes);
        Drain(reopened).Should().Equal(Enumerable.Range(0, 3).Select(i => $"record-{i:D5}"));
    }

    [Fact]
    public void A_record_whose_payload_checksum_fails_is_skipped_and_counted()
    {
        using (var spool = Open(segment: 1 << 20))
        {
            for (var i = 0; i < 4; i++) spool.TryAppend(Payload(i), 1);
        }

        var segment = Directory.GetFiles(_dir.Path, "*.seg").Single();
        var bytes = File.ReadAllBytes(segment);
        var recordSize = SpoolRecordHeader.Size + 100;
        bytes[recordSize + SpoolRecordHeader.Size + 10] ^= 0x55; // flip bits in record 1's payload
        File.WriteAllBytes(segment, bytes);

        using var reopened = Open(segment: 1 << 20);
        reopened.GetStatus().PendingRecords.Should().Be(3);
        Drain(reopened).Should().Equal("record-00000", "record-00002", "record-00003");
        reopened.GetStatus().CorruptRecordsSkipped.Should().Be(1);
    }

    [Fact]
    public void A_damaged_header_is_skipped_by_finding_the_next_valid_header()
    {
        using (var spool = Open(segment: 1 << 20))
        {
            for (var i = 0; i < 4; i++) spool.TryAppend(Payload(i), 1);
        }

        var segment = Directory.GetFiles(_dir.Path, "*.seg").Single();
        var bytes = File.ReadAllBytes(segment);
        var recordSize = SpoolRecordHeader.Size + 100;
        bytes[recordSize + 5] ^= 0xFF; // corrupt record 1's length inside its header
        File.WriteAllBytes(segment, bytes);

        using var reopened = Open(segment: 1 << 20);
        Drain(reopened).Should().Equal("record-00000", "record-00002", "record-00003");
        reopened.GetStatus().BytesSkipped.Should().Be(recordSize);
    }

    [Fact]
    public void The_size_bound_is_enforced_and_reported_as_full_until_room_is_made()
    {
        const int recordBytes = SpoolRecordHeader.Size + 1000;
        using var spool = DiskSpool.Open(_dir.Path, maxBytes: 10 * recordBytes, segmentBytes: 2 * recordBytes, fsync: false);
        for (var i = 0; i < 10; i++)
            spool.TryAppend(Payload(i, 1000), 1).Should().BeTrue();
        spool.TryAppend(Payload(10, 1000), 1).Should().BeFalse();
        var full = spool.GetStatus();
        full.IsFull.Should().BeTrue();
        full.SizeBytes.Should().Be(10 * recordBytes);
        full.PendingRecords.Should().Be(10);

        // Reading two records frees the first segment.
        for (var i = 0; i < 2; i++)
        {
            spool.TryReadNext(out var r).Should().BeTrue();
            spool.Acknowledge(r);
        }

        spool.IsFull.Should().BeFalse();
        spool.TryAppend(Payload(10, 1000), 1).Should().BeTrue();
        spool.GetStatus().SizeBytes.Should().BeLessThanOrEqualTo(10 * recordBytes);
        Drain(spool).Should().Equal(Enumerable.Range(2, 9).Select(i => $"record-{i:D5}"));
    }

    [Fact]
    public void A_lost_cursor_replays_from_the_oldest_record_rather_than_losing_any()
    {
        using (var spool = Open())
        {
            for (var i = 0; i < 10; i++) spool.TryAppend(Payload(i), 1);
            spool.TryReadNext(out var r);
            spool.Acknowledge(r);
        }

        File.WriteAllBytes(_dir.Combine("cursor"), new byte[20]); // checksum no longer matches
        using var reopened = Open();
        Drain(reopened).Should().Equal(Enumerable.Range(0, 10).Select(i => $"record-{i:D5}"));
    }

    [Fact]
    public void Header_round_trips_and_rejects_a_bad_checksum()
    {
        var header = SpoolRecordHeader.For("hello"u8, 7, 3);
        var bytes = new byte[SpoolRecordHeader.Size];
        header.WriteTo(bytes);
        bytes.AsSpan(0, 4).ToArray().Should().Equal("PSP1"u8.ToArray());
        SpoolRecordHeader.TryRead(bytes, out var read).Should().BeTrue();
        read.Should().Be(header);
        bytes[9] ^= 1;
        SpoolRecordHeader.TryRead(bytes, out _).Should().BeFalse();
    }
}
