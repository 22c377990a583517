using System.Buffers.Text;
using System.Globalization;

namespace PvMonitor.Monitoring.Storage.Influx.LineProtocol;

/// <summary>
/// Writes a double exactly as <c>double.TryFormat</c> with the invariant culture does (shortest text that round-trips),
/// with a fast path for the common telemetry case: a value that is a decimal with at most 6 fraction digits and 15
/// significant digits, between 1E-4 and 1E15.
/// </summary>
/// <remarks>
/// Why the fast path gives the same text: if <c>m / 10^d</c> (IEEE division, correctly rounded) equals the value, the decimal
/// <c>m·10^-d</c> parses back to it; trying d = 0, 1, … finds the fewest digits; and two different decimals of at most 15
/// significant digits never map to the same double, so this is the shortest round-trip text .NET would print. In that range
/// .NET uses plain (not exponent) notation.
/// </remarks>
internal static class FloatFormatter
{
    private const int MaxFractionDigits = 6;
    private static readonly double[] Pow10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6];

    /// <summary>Writes <paramref name="value"/> (finite) and returns the bytes written (at most 24).</summary>
    public static int Write(Span<byte> destination, double value)
    {
        if (TryWriteDecimal(destination, value, out var written))
            return written;
        value.TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
        return written;
    }

    internal static bool TryWriteDecimal(Span<byte> destination, double value, out int written)
    {
        written = 0;
        if (value == 0)
        {
            if (double.IsNegative(value))
                destination[written++] = (byte)'-';
            destination[written++] = (byte)'0';
            return true;
        }

        var magnitude = Math.Abs(value);
        if (!(magnitude >= 1e-4 && magnitude < 1e15))
            return false;
        for (var d = 0; d <= MaxFractionDigits; d++)
        {
            var scaled = magnitude * Pow10[d];
            if (scaled >= 1e15)
                return false; // more than 15 significant digits
            var m = Math.Round(scaled);
            if (m / Pow10[d] != magnitude)
                continue;
            if (value < 0)
                destination[written++] = (byte)'-';
            written += WriteScaled(destination[written..], (long)m, d);
            return true;
        }

        return false;
    }

    /// <summary>Writes <paramref name="mantissa"/>·10^-<paramref name="fractionDigits"/> in plain notation.</summary>
    private static int WriteScaled(Span<byte> destination, long mantissa, int fractionDigits)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(mantissa, digits, out var length);
        if (fractionDigits == 0)
        {
            digits[..length].CopyTo(destination);
            return length;
        }

        if (length > fractionDigits)
        {
            var whole = length - fractionDigits;
            digits[..whole].CopyTo(destination);
            destination[whole] = (byte)'.';
            digits[whole..length].CopyTo(destination[(whole + 1)..]);
            return length + 1;
        }

        // 0.000ddd
        destination[0] = (byte)'0';
        destination[1] = (byte)'.';
        var zeros = fractionDigits - length;
        destination.Slice(2, zeros).Fill((byte)'0');
        digits[..length].CopyTo(destination[(2 + zeros)..]);
        return 2 + zeros + length;
    }
}
