using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;

namespace PvMonitor.Monitoring.Storage.Influx.LineProtocol;

/// <summary>
/// Encodes points as InfluxDB line protocol (UTF-8), one line per point, each ending in <c>\n</c>:
/// <c>measurement[,tag=value…] field=value[,field=value…] [timestamp]</c>.
/// Pure: writes to an <see cref="IBufferWriter{T}"/> and never does I/O; allocates nothing.
/// </summary>
/// <remarks>
/// Floats are written in the shortest form that round-trips (<c>1</c>, <c>0.1</c>, <c>1E+16</c>); integers get the
/// <c>i</c> suffix; booleans are <c>true</c>/<c>false</c>; strings are double-quoted with <c>"</c> and <c>\</c> escaped.
/// Tags appear sorted by key (code-point order); fields in the order they were first set.
/// Timestamps are converted to the requested precision (finer to coarser truncates toward negative infinity).
/// </remarks>
public static class LineProtocolEncoder
{
    private const int MaxNumberBytes = 32; // "-1.7976931348623157E+308" is 24; long.MinValue + 'i' is 21.

    /// <summary>Appends <paramref name="point"/> as one line (with its trailing newline) and returns the bytes written.</summary>
    /// <exception cref="LineProtocolException">The point has no fields, or its timestamp overflows at <paramref name="precision"/>.</exception>
    public static int Write(IBufferWriter<byte> output, PointData point, WritePrecision precision) =>
        Write(output, point, precision, null);

    /// <summary>As <see cref="Write(IBufferWriter{byte}, PointData, WritePrecision)"/>, using <paramref name="defaultTimestamp"/> (in <paramref name="precision"/>) when the point has none.</summary>
    internal static int Write(IBufferWriter<byte> output, PointData point, WritePrecision precision, long? defaultTimestamp)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(point);
        if (point.FieldCount == 0)
            ThrowNoFields(point.MeasurementName);

        var span = output.GetSpan(MaxLength(point));
        var n = Write(span, point, precision, defaultTimestamp);
        output.Advance(n);
        return n;
    }

    /// <summary>The line for <paramref name="point"/> without the trailing newline (for tests, logs and tools; allocates).</summary>
    public static string ToLine(PointData point, WritePrecision precision)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var n = Write(buffer, point, precision);
        return Encoding.UTF8.GetString(buffer.WrittenSpan[..(n - 1)]);
    }

    /// <summary>An upper bound of the bytes <see cref="Write(IBufferWriter{byte}, PointData, WritePrecision)"/> produces for <paramref name="point"/>.</summary>
    public static int MaxLength(PointData point)
    {
        var max = LineProtocolSyntax.MaxEscapedBytes(point.MeasurementName.Length) + 2 + MaxNumberBytes;
        foreach (ref readonly var tag in point.Tags)
            max += 2 + LineProtocolSyntax.MaxEscapedBytes(tag.Key.Length + tag.Value.Length);
        foreach (ref readonly var field in point.Fields)
        {
            max += 2 + LineProtocolSyntax.MaxEscapedBytes(field.Key.Length);
            max += field.Kind == FieldKind.String ? 2 + LineProtocolSyntax.MaxEscapedBytes(field.Text!.Length) : MaxNumberBytes;
        }

        return max;
    }

    private static int Write(Span<byte> span, PointData point, WritePrecision precision, long? defaultTimestamp)
    {
        var pos = LineProtocolSyntax.WriteEscaped(span, point.MeasurementName, LineProtocolSyntax.MeasurementSpecials);
        foreach (ref readonly var tag in point.Tags)
        {
            span[pos++] = (byte)',';
            pos += LineProtocolSyntax.WriteEscaped(span[pos..], tag.Key, LineProtocolSyntax.KeySpecials);
            span[pos++] = (byte)'=';
            pos += LineProtocolSyntax.WriteEscaped(span[pos..], tag.Value, LineProtocolSyntax.KeySpecials);
        }

        var separator = (byte)' ';
        foreach (ref readonly var field in point.Fields)
        {
            span[pos++] = separator;
            separator = (byte)',';
            pos += LineProtocolSyntax.WriteEscaped(span[pos..], field.Key, LineProtocolSyntax.KeySpecials);
            span[pos++] = (byte)'=';
            pos += WriteFieldValue(span[pos..], field);
        }

        if (point.HasTimestamp)
        {
            span[pos++] = (byte)' ';
            var ts = ConvertTimestamp(point.TimestampValue, point.TimestampPrecision, precision, point.MeasurementName);
            Utf8Formatter.TryFormat(ts, span[pos..], out var n);
            pos += n;
        }
        else if (defaultTimestamp is { } fallback)
        {
            span[pos++] = (byte)' ';
            Utf8Formatter.TryFormat(fallback, span[pos..], out var n);
            pos += n;
        }

        span[pos++] = (byte)'\n';
        return pos;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteFieldValue(Span<byte> span, in PointData.FieldEntry field)
    {
        int n;
        switch (field.Kind)
        {
            case FieldKind.Float:
                return FloatFormatter.Write(span, BitConverter.Int64BitsToDouble(field.Bits));
            case FieldKind.Integer:
                Utf8Formatter.TryFormat(field.Bits, span, out n);
                span[n] = (byte)'i';
                return n + 1;
            case FieldKind.Boolean:
                return field.Bits != 0 ? CopyTo(span, "true"u8) : CopyTo(span, "false"u8);
            default:
                span[0] = (byte)'"';
                n = 1 + LineProtocolSyntax.WriteEscaped(span[1..], field.Text, LineProtocolSyntax.StringFieldSpecials);
                span[n] = (byte)'"';
                return n + 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CopyTo(Span<byte> span, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span);
        return bytes.Length;
    }

    /// <summary>The time <paramref name="now"/> as a timestamp in <paramref name="precision"/> units since the Unix epoch.</summary>
    public static long ToTimestamp(DateTimeOffset now, WritePrecision precision)
    {
        var ticks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks; // 100 ns units
        return precision switch
        {
            WritePrecision.Nanoseconds => ticks * 100,
            WritePrecision.Microseconds => ticks / 10,
            WritePrecision.Milliseconds => ticks / TimeSpan.TicksPerMillisecond,
            _ => ticks / TimeSpan.TicksPerSecond,
        };
    }

    /// <summary>Converts a timestamp between precisions; coarser-to-finer is checked, finer-to-coarser floors.</summary>
    public static long ConvertTimestamp(long value, WritePrecision from, WritePrecision to) =>
        ConvertTimestamp(value, from, to, null);

    private static long ConvertTimestamp(long value, WritePrecision from, WritePrecision to, string? measurement)
    {
        if (from == to)
            return value;
        var diff = (int)to - (int)from; // each step is a factor of 1000
        if (diff > 0)
        {
            var divisor = Pow1000(diff);
            var q = value / divisor;
            return value % divisor < 0 ? q - 1 : q;
        }

        try
        {
            return checked(value * Pow1000(-diff));
        }
        catch (OverflowException)
        {
            throw new LineProtocolException(
                $"Timestamp {value} ({from}) of measurement '{measurement}' does not fit in a 64-bit {to} value.", "timestamp");
        }
    }

    private static long Pow1000(int steps) => steps switch
    {
        1 => 1_000L,
        2 => 1_000_000L,
        _ => 1_000_000_000L,
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNoFields(string measurement) =>
        throw new LineProtocolException($"Point of measurement '{measurement}' has no fields; line protocol needs at least one.", "fields");
}
