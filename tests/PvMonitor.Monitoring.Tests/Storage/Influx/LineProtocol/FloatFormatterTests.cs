using System.Globalization;
using System.Text;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;

namespace PvMonitor.Monitoring.Tests.Storage.Influx.LineProtocol;

public class FloatFormatterTests
{
    private static void Same(double value)
    {
        Span<byte> buffer = stackalloc byte[32];
        var n = FloatFormatter.Write(buffer, value);
        Encoding.ASCII.GetString(buffer[..n]).Should().Be(value.ToString(CultureInfo.InvariantCulture), $"bits {BitConverter.DoubleToInt64Bits(value):X}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-1.5)]
    [InlineData(0.1)]
    [InlineData(0.30000000000000004)]
    [InlineData(0.0001)]
    [InlineData(0.00012)]
    [InlineData(0.00001)]
    [InlineData(1e-7)]
    [InlineData(999999999999999.0)]
    [InlineData(1e15)]
    [InlineData(123456789012345.6)]
    [InlineData(612.345678)]
    [InlineData(612.3456789)]
    [InlineData(1200.0)]
    [InlineData(5e-324)]
    [InlineData(double.MaxValue)]
    [InlineData(-double.MaxValue)]
    [InlineData(4974.53)]
    public void Matches_dotnet_for_edge_values(double value) => Same(value);

    [Fact]
    public void Negative_zero_keeps_its_sign()
    {
        Same(-0.0);
        Span<byte> buffer = stackalloc byte[8];
        Encoding.ASCII.GetString(buffer[..FloatFormatter.Write(buffer, -0.0)]).Should().Be("-0");
    }

    [Fact]
    public void Matches_dotnet_for_telemetry_like_and_random_values()
    {
        var random = new Random(11);
        for (var i = 0; i < 200_000; i++)
        {
            var decimals = random.Next(0, 9);
            var magnitude = Math.Pow(10, random.Next(-5, 16));
            Same(Math.Round((random.NextDouble() - 0.5) * magnitude, decimals));
            Same(BitConverter.Int64BitsToDouble(random.NextInt64()) is var raw && double.IsFinite(raw) ? raw : 1.0);
            Same(random.Next(-100_000, 100_000) / 1000.0);
        }
    }

    [Fact]
    public void The_fast_path_takes_typical_telemetry_values()
    {
        Span<byte> buffer = stackalloc byte[32];
        FloatFormatter.TryWriteDecimal(buffer, 612.25, out _).Should().BeTrue();
        FloatFormatter.TryWriteDecimal(buffer, 0.0042, out _).Should().BeTrue();
        FloatFormatter.TryWriteDecimal(buffer, 1.0 / 3, out _).Should().BeFalse("17 significant digits");
        FloatFormatter.TryWriteDecimal(buffer, 1e-5, out _).Should().BeFalse(".NET writes 1E-05");
    }
}
