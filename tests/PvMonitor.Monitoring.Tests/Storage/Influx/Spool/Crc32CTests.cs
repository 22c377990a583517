using System.Text;
using PvMonitor.Monitoring.Storage.Influx.Spool;

namespace PvMonitor.Monitoring.Tests.Storage.Influx.Spool;

public class Crc32CTests
{
    [Theory]
    [InlineData("123456789", 0xE3069283u)]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xC1D04330u)]
    public void Matches_the_published_check_values(string text, uint expected) =>
        Crc32C.Compute(Encoding.ASCII.GetBytes(text)).Should().Be(expected);

    [Fact]
    public void Thirty_two_zero_bytes_match_rfc3720()
    {
        Crc32C.Compute(new byte[32]).Should().Be(0x8A9136AAu);
        Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()).Should().Be(0x62A8AB43u);
    }
}
