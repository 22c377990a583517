using System.Buffers;
using PvMonitor.Mqtt.Formatting;
using PvMonitor.Mqtt.Packets;
using PvMonitor.Mqtt.Tests.Support;

namespace PvMonitor.Mqtt.Tests.Formatting;

/// <summary>Each rule of the spec the decoder enforces, with the smallest frame that breaks it.</summary>
public class DecoderRuleTests
{
    [Theory]
    [InlineData("00 00", "type 0 is reserved")]
    [InlineData("F0 00", "type 15 is reserved in 3.1.1")]
    [InlineData("80 02 00 01", "SUBSCRIBE flags must be 0010")]
    [InlineData("A0 02 00 01", "UNSUBSCRIBE flags must be 0010")]
    [InlineData("41 02 00 01", "PUBACK flags must be 0000")]
    [InlineData("C1 00", "PINGREQ flags must be 0000")]
    [InlineData("36 05 00 01 61 00 01", "QoS 3")]
    [InlineData("38 04 00 01 61 78", "DUP on QoS 0")]
    [InlineData("32 05 00 01 61 00 00", "packet id 0")]
    [InlineData("40 02 00 00", "PUBACK packet id 0")]
    [InlineData("40 03 00 01 00", "3.1.1 PUBACK with a trailing byte")]
    [InlineData("40 01 00", "PUBACK too short")]
    [InlineData("C0 01 00", "PINGREQ with a body")]
    [InlineData("D0 01 00", "PINGRESP with a body")]
    [InlineData("E0 01 00", "3.1.1 DISCONNECT with a body")]
    [InlineData("20 02 02 00", "CONNACK reserved flag")]
    [InlineData("20 02 00 06", "CONNACK reserved 3.1.1 return code")]
    [InlineData("20 03 00 00 00", "3.1.1 CONNACK too long")]
    [InlineData("30 05 00 05 61 62 63", "topic longer than the packet")]
    [InlineData("30 05 00 03 61 2F 2B", "topic with + wildcard")]
    [InlineData("30 04 00 02 61 23", "topic with # wildcard")]
    [InlineData("30 02 00 00", "empty topic")]
    [InlineData("90 02 00 01", "SUBACK without codes")]
    [InlineData("90 03 00 01 03", "3.1.1 SUBACK code 3")]
    [InlineData("82 02 00 01", "SUBSCRIBE without filters")]
    [InlineData("82 06 00 01 00 01 61 03", "SUBSCRIBE QoS 3")]
    [InlineData("82 06 00 01 00 01 61 04", "3.1.1 SUBSCRIBE reserved option bits")]
    [InlineData("82 05 00 01 00 00 01", "empty topic filter")]
    [InlineData("A2 02 00 01", "UNSUBSCRIBE without filters")]
    [InlineData("B0 03 00 01 00", "3.1.1 UNSUBACK too long")]
    [InlineData("50 02 00 01", "PUBREC (QoS 2 is not supported)")]
    [InlineData("62 02 00 01", "PUBREL (QoS 2 is not supported)")]
    [InlineData("70 02 00 01", "PUBCOMP (QoS 2 is not supported)")]
    [InlineData("10 0C 00 04 4D 51 54 54 03 02 00 00 00 00", "CONNECT protocol level 3")]
    [InlineData("10 0C 00 04 4D 51 49 73 04 02 00 00 00 00", "CONNECT protocol name")]
    [InlineData("10 0C 00 04 4D 51 54 54 04 03 00 00 00 00", "CONNECT reserved flag")]
    [InlineData("10 0C 00 04 4D 51 54 54 04 12 00 00 00 00", "will QoS without will flag")]
    [InlineData("10 0C 00 04 4D 51 54 54 04 42 00 00 00 00", "3.1.1 password without user name")]
    public void V311_violations_are_protocol_exceptions(string hex, string because) =>
        Rejects(MqttProtocolVersion.V311, hex, because);

    [Theory]
    [InlineData("30 07 00 01 61 02 99 00 78", "unknown property 0x99")]
    [InlineData("30 09 00 01 61 05 11 00 00 00 00", "property not allowed in PUBLISH (session expiry)")]
    [InlineData("30 08 00 01 61 04 01 01 01 01", "duplicate payload format indicator")]
    [InlineData("30 07 00 01 61 02 01 02 78", "payload format indicator 2")]
    [InlineData("30 08 00 01 61 03 23 00 00 78", "topic alias 0")]
    [InlineData("30 06 00 01 61 05 01 01", "property block longer than the packet")]
    [InlineData("30 06 00 01 61 02 0B 00", "subscription identifier 0")]
    [InlineData("30 03 00 00 00", "empty topic without alias")]
    [InlineData("30 0A 00 01 61 06 26 00 01 6B 00 05", "user property truncated")]
    [InlineData("20 06 00 00 03 21 00 00", "receive maximum 0")]
    [InlineData("20 08 00 00 05 27 00 00 00 00", "maximum packet size 0")]
    [InlineData("20 06 00 00 03 24 02 00", "maximum QoS 2 as a boolean byte")]
    [InlineData("40 05 00 01 00 01 23", "PUBACK with a trailing byte after properties")]
    [InlineData("F0 00", "AUTH is not supported")]
    [InlineData("82 06 00 01 00 00 01 61", "v5 SUBSCRIBE missing options byte")]
    [InlineData("82 07 00 01 00 00 01 61 30", "retain handling 3")]
    [InlineData("82 07 00 01 00 00 01 61 41", "v5 SUBSCRIBE reserved option bits")]
    [InlineData("B0 03 00 01 00", "v5 UNSUBACK without codes")]
    public void V5_violations_are_protocol_exceptions(string hex, string because) =>
        Rejects(MqttProtocolVersion.V500, hex, because);

    [Theory]
    [InlineData("30 06 00 02 61 00 78 79", "U+0000 in a topic")]
    [InlineData("30 06 00 02 C3 28 78 79", "invalid UTF-8 continuation")]
    [InlineData("30 06 00 03 ED A0 80 78", "UTF-16 surrogate encoded in UTF-8")]
    [InlineData("30 06 00 02 C0 AF 78 79", "overlong encoding of '/'")]
    [InlineData("30 06 00 02 F8 88 78 79", "5-byte sequence")]
    [InlineData("10 0E 00 04 4D 51 54 54 04 02 00 00 00 02 C3 28", "invalid UTF-8 client id")]
    public void Strings_must_be_well_formed_utf8_without_nul(string hex, string because)
    {
        AssertWholeFrame(Hex.Bytes(hex));
        var act = () => new MqttPacketDecoder(MqttProtocolVersion.V311).TryDecode(Hex.Bytes(hex), out _, out _);
        act.Should().Throw<MqttProtocolException>(because).Which.ReasonCode.Should().Be(MqttReasonCode.MalformedPacket);
    }

    [Fact]
    public void Non_ascii_topics_are_accepted()
    {
        var topic = "pv/Ødegård/逆变器/☀";
        var output = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.Encode(new PublishPacket { Topic = topic }, MqttProtocolVersion.V311, output);

        new MqttPacketDecoder(MqttProtocolVersion.V311).TryDecode(output.WrittenSpan, out var packet, out _).Should().BeTrue();
        ((PublishPacket)packet!).Topic.Should().Be(topic);
    }

    [Fact]
    public void A_packet_over_the_maximum_size_fails_as_soon_as_its_length_is_known()
    {
        var decoder = new MqttPacketDecoder(MqttProtocolVersion.V311, maxPacketSize: 100);
        // PUBLISH claiming 1,000,000 bytes; only the fixed header is present.
        var header = Hex.Bytes("30 C0 84 3D");

        var act = () => decoder.TryDecode(header, out _, out _);

        act.Should().Throw<MqttProtocolException>().Which.ReasonCode.Should().Be(MqttReasonCode.PacketTooLarge);
    }

    [Fact]
    public void A_packet_of_exactly_the_maximum_size_is_accepted()
    {
        var output = new ArrayBufferWriter<byte>();
        var size = MqttPacketEncoder.Encode(new PublishPacket { Topic = "t", Payload = new byte[95] }, MqttProtocolVersion.V311, output);
        size.Should().Be(100);

        new MqttPacketDecoder(MqttProtocolVersion.V311, maxPacketSize: 100).TryDecode(output.WrittenSpan, out _, out _).Should().BeTrue();
        var act = () => new MqttPacketDecoder(MqttProtocolVersion.V311, maxPacketSize: 99).TryDecode(output.WrittenSpan, out _, out _);
        act.Should().Throw<MqttProtocolException>();
    }

    [Fact]
    public void A_short_buffer_is_need_more_data_without_allocating()
    {
        var decoder = new MqttPacketDecoder(MqttProtocolVersion.V311);
        var partial = Hex.Bytes("3B 09 00 03 61 2F 62 00");
        decoder.TryDecode(partial, out _, out _); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
            decoder.TryDecode(partial, out _, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
    }

    [Fact]
    public void The_publish_view_reads_in_place_without_allocating()
    {
        var decoder = new MqttPacketDecoder(MqttProtocolVersion.V500);
        var frame = Hex.Bytes(GoldenFrames.All["5 PUBLISH properties"].Hex);
        decoder.TryReadHeader(frame, out var header).Should().BeTrue();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var view = decoder.DecodePublish(header, frame.AsSpan(header.HeaderLength, header.RemainingLength));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
        view.Topic.SequenceEqual("a/b"u8).Should().BeTrue();
        view.Payload.SequenceEqual("hi"u8).Should().BeTrue();
        view.PacketId.Should().Be(1);
        view.QoS.Should().Be(MqttQualityOfService.AtLeastOnce);
    }

    private static void Rejects(MqttProtocolVersion version, string hex, string because)
    {
        var bytes = Hex.Bytes(hex);
        AssertWholeFrame(bytes);
        var act = () => new MqttPacketDecoder(version).TryDecode(bytes, out _, out _);
        act.Should().Throw<MqttProtocolException>(because);
    }

    /// <summary>Guards the test data: a frame whose length byte is off would fail as "need more data", not for its reason.</summary>
    private static void AssertWholeFrame(byte[] bytes)
    {
        if (bytes.Length > 1 && bytes[1] < 0x80)
            bytes.Length.Should().Be(2 + bytes[1], "the remaining length in the test frame must match its body");
    }
}
