using PvMonitor.Mqtt.Formatting;
using PvMonitor.Mqtt.Tests.Support;

namespace PvMonitor.Mqtt.Tests.Formatting;

public class VariableByteIntegerTests
{
    [Theory]
    [InlineData(0, "00")]
    [InlineData(127, "7F")]
    [InlineData(128, "80 01")]
    [InlineData(16_383, "FF 7F")]
    [InlineData(16_384, "80 80 01")]
    [InlineData(2_097_151, "FF FF 7F")]
    [InlineData(2_097_152, "80 80 80 01")]
    [InlineData(268_435_455, "FF FF FF 7F")]
    public void Spec_table_values_encode_and_decode(int value, string hex)
    {
        var buffer = new byte[4];
        var written = VariableByteInteger.Write(buffer, value);

        Hex.Of(buffer.AsSpan(0, written)).Should().Be(hex);
        VariableByteInteger.GetSize(value).Should().Be(written);
        VariableByteInteger.TryRead(Hex.Bytes(hex), out var read, out var count).Should().BeTrue();
        read.Should().Be(value);
        count.Should().Be(written);
    }

    [Theory]
    [InlineData("")]
    [InlineData("80")]
    [InlineData("FF FF")]
    [InlineData("FF FF FF")]
    public void A_partial_value_asks_for_more_bytes(string hex) =>
        VariableByteInteger.TryRead(Hex.Bytes(hex), out _, out _).Should().BeFalse();

    [Theory]
    [InlineData("FF FF FF FF 01")]
    [InlineData("80 80 80 80")]
    public void More_than_four_bytes_is_malformed(string hex)
    {
        var act = () => VariableByteInteger.TryRead(Hex.Bytes(hex), out _, out _);
        act.Should().Throw<MqttProtocolException>().Which.ReasonCode.Should().Be(MqttReasonCode.MalformedPacket);
    }

    [Theory]
    [InlineData("80 00")]
    [InlineData("FF 80 00")]
    [InlineData("80 80 80 00")]
    public void A_longer_encoding_than_needed_is_malformed(string hex)
    {
        var act = () => VariableByteInteger.TryRead(Hex.Bytes(hex), out _, out _);
        act.Should().Throw<MqttProtocolException>();
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(268_435_456)]
    public void Values_outside_the_range_cannot_be_encoded(int value)
    {
        var act = () => VariableByteInteger.GetSize(value);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
