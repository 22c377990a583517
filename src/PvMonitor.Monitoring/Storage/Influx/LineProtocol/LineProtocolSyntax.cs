using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace PvMonitor.Monitoring.Storage.Influx.LineProtocol;

/// <summary>
/// The escaping rules of line protocol, as the InfluxDB reference states them:
/// measurement — comma and space; tag keys, tag values and field keys — comma, equals sign and space;
/// string field values — double quote and backslash. Everything else is written as UTF-8 unchanged.
/// </summary>
/// <remarks>
/// The rules cannot carry two things, which are rejected up front (<see cref="ValidateName"/>):
/// a line break (the server ends the line there) and an odd run of backslashes right before a character
/// that gets escaped or at the very end (the server would read the last backslash as escaping the delimiter).
/// </remarks>
internal static class LineProtocolSyntax
{
    /// <summary>Characters escaped with a backslash in a measurement.</summary>
    public static readonly SearchValues<char> MeasurementSpecials = SearchValues.Create(", ");

    /// <summary>Characters escaped with a backslash in tag keys, tag values and field keys.</summary>
    public static readonly SearchValues<char> KeySpecials = SearchValues.Create(",= ");

    /// <summary>Characters escaped with a backslash inside a string field value.</summary>
    public static readonly SearchValues<char> StringFieldSpecials = SearchValues.Create("\"\\");

    private static readonly SearchValues<char> NeedsCheck = SearchValues.Create("\n\r\\");

    /// <summary>
    /// Throws a <see cref="LineProtocolException"/> naming the element when <paramref name="value"/> cannot be written.
    /// <paramref name="owner"/> is the tag key when checking a tag value.
    /// </summary>
    public static void ValidateName(string? value, SearchValues<char> specials, NameKind kind, string? owner = null)
    {
        if (string.IsNullOrEmpty(value))
            throw new LineProtocolException($"{Subject(kind, owner, value)} is empty; line protocol needs at least one character.", owner ?? kind.ToString());
        if (value.AsSpan().IndexOfAny(NeedsCheck) < 0)
            return;
        ValidateSlow(value, specials, kind, owner);
    }

    private static void ValidateSlow(string value, SearchValues<char> specials, NameKind kind, string? owner)
    {
        var backslashes = 0;
        foreach (var c in value)
        {
            if (c is '\n' or '\r')
                throw new LineProtocolException($"{Subject(kind, owner, value)} contains a line break, which line protocol cannot carry.", owner ?? value);
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            if (backslashes % 2 == 1 && specials.Contains(c))
                ThrowBackslash(kind, owner, value);
            backslashes = 0;
        }

        if (backslashes % 2 == 1)
            ThrowBackslash(kind, owner, value);
    }

    private static string Subject(NameKind kind, string? owner, string? value)
    {
        var shown = string.IsNullOrEmpty(value) ? "" : " \"" + value.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal) + "\"";
        return kind switch
        {
            NameKind.Measurement => "Measurement name" + shown,
            NameKind.TagKey => "Tag key" + shown,
            NameKind.TagValue => $"Value of tag '{owner}'{shown}",
            _ => "Field key" + shown,
        };
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBackslash(NameKind kind, string? owner, string value) =>
        throw new LineProtocolException(
            $"{Subject(kind, owner, value)} has an odd run of backslashes before a delimiter or at its end, which line protocol cannot carry unambiguously.",
            owner ?? value);

    /// <summary>The most bytes <see cref="WriteEscaped"/> can produce for <paramref name="length"/> UTF-16 chars.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MaxEscapedBytes(int length) => length * 3;

    /// <summary>Writes <paramref name="value"/> as UTF-8 with every char in <paramref name="specials"/> preceded by a backslash.</summary>
    public static int WriteEscaped(Span<byte> destination, ReadOnlySpan<char> value, SearchValues<char> specials)
    {
        var written = 0;
        while (true)
        {
            var i = value.IndexOfAny(specials);
            if (i < 0)
                return written + Encoding.UTF8.GetBytes(value, destination[written..]);
            if (i > 0)
                written += Encoding.UTF8.GetBytes(value[..i], destination[written..]);
            destination[written++] = (byte)'\\';
            destination[written++] = (byte)value[i];
            value = value[(i + 1)..];
        }
    }
}
