using System.Buffers;
using PvMonitor.Mqtt.Formatting;
using PvMonitor.Mqtt.Packets;
using PvMonitor.Mqtt.Tests.Support;

namespace PvMonitor.Mqtt.Tests.Formatting;

public class GoldenFrameTests
{
    public static TheoryData<string> Frames => GoldenFrames.Names();

    [Theory]
    [MemberData(nameof(Frames))]
    public void Encoder_writes_the_golden_bytes(string name)
    {
        var (version, packet, hex) = GoldenFrames.All[name];
        var output = new ArrayBufferWriter<byte>();

        var written = MqttPacketEncoder.Encode(packet, version, output);

        Hex.Of(output.WrittenSpan).Should().Be(hex);
        written.Should().Be(output.WrittenCount);
        MqttPacketEncoder.GetSize(packet, version).Should().Be(written);
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Decoder_reads_the_golden_bytes_back(string name)
    {
        var (version, packet, hex) = GoldenFrames.All[name];
        var bytes = Hex.Bytes(hex);

        new MqttPacketDecoder(version).TryDecode(bytes, out var decoded, out var consumed).Should().BeTrue();

        consumed.Should().Be(bytes.Length);
        PacketAssert.Equivalent(decoded!, packet);
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Decoder_needs_every_byte_fed_one_at_a_time(string name)
    {
        var (version, packet, hex) = GoldenFrames.All[name];
        var bytes = Hex.Bytes(hex);
        var decoder = new MqttPacketDecoder(version);

        for (var length = 0; length < bytes.Length; length++)
            decoder.TryDecode(bytes.AsSpan(0, length), out _, out _).Should().BeFalse($"{length} of {bytes.Length} bytes is not a whole packet");

        decoder.TryDecode(bytes, out var decoded, out _).Should().BeTrue();
        PacketAssert.Equivalent(decoded!, packet);
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Decoder_reads_a_sequence_split_into_one_byte_segments(string name)
    {
        var (version, packet, hex) = GoldenFrames.All[name];
        var bytes = Hex.Bytes(hex);
        var decoder = new MqttPacketDecoder(version);

        for (var length = 0; length <= bytes.Length; length++)
        {
            var sequence = SequenceOf(bytes.AsSpan(0, length).ToArray().Select(b => new[] { b }).ToArray());
            var done = decoder.TryDecode(sequence, out var decoded, out var consumed);
            done.Should().Be(length == bytes.Length);
            if (done)
            {
                sequence.Slice(consumed).Length.Should().Be(0);
                PacketAssert.Equivalent(decoded!, packet);
            }
        }
    }

    [Fact]
    public void Several_packets_in_one_buffer_decode_in_order()
    {
        var frames = new[] { "3.1.1 PUBLISH QoS 0", "3.1.1 PUBACK", "3.1.1 PINGRESP", "3.1.1 SUBACK" };
        var buffer = frames.SelectMany(f => Hex.Bytes(GoldenFrames.All[f].Hex)).ToArray();
        var decoder = new MqttPacketDecoder(MqttProtocolVersion.V311);
        var offset = 0;
        var types = new List<MqttPacketType>();

        while (decoder.TryDecode(buffer.AsSpan(offset), out var packet, out var consumed))
        {
            types.Add(packet.Type);
            offset += consumed;
        }

        offset.Should().Be(buffer.Length);
        types.Should().Equal(MqttPacketType.Publish, MqttPacketType.PubAck, MqttPacketType.PingResp, MqttPacketType.SubAck);
    }

    internal static ReadOnlySequence<byte> SequenceOf(byte[][] segments)
    {
        if (segments.Length == 0)
            return ReadOnlySequence<byte>.Empty;
        var first = new Segment(segments[0], 0);
        var last = first;
        foreach (var segment in segments.Skip(1))
            last = last.Append(segment);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
