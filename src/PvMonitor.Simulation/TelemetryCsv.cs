using System.Globalization;
using PvMonitor.Domain.Telemetry;

namespace PvMonitor.Simulation;

/// <summary>
/// The telemetry CSV format: header <c>time,plant,string,I,V,G,TExt,TMod,W,label</c>; time ISO-8601 UTC to the second
/// (<c>2026-03-01T10:15:00Z</c>); invariant culture; I in A (3 decimals), V in V (1), G in W/m² (0), TExt and TMod in °C (1),
/// W in m/s (1); label empty when unknown. The <c>string</c> column is <c>inverter/string</c> (e.g. <c>INV01/S2</c>).
/// A sample lost by the logger has no row.
/// </summary>
public static class TelemetryCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "time,plant,string,I,V,G,TExt,TMod,W,label";

    /// <summary>The <c>string</c> column for a key: <c>inverter/string</c>.</summary>
    public static string StringColumn(StringKey key) => key.Inverter + "/" + key.String;

    /// <summary>Parses a <c>string</c> column back into a key (a column without '/' is a string on inverter "").</summary>
    public static StringKey ParseStringColumn(string plant, string column)
    {
        var slash = column.IndexOf('/');
        return slash < 0 ? new StringKey(plant, "", column) : new StringKey(plant, column[..slash], column[(slash + 1)..]);
    }

    /// <summary>Formats one row (no line break) into <paramref name="destination"/>; returns the characters written, or −1 if it does not fit.</summary>
    public static int FormatRow(Span<char> destination, DateTimeOffset time, string plant, string stringColumn, in TelemetrySample s, string label)
    {
        var w = new RowWriter(destination);
        w.Time(time.UtcDateTime);
        w.Comma(); w.Text(plant);
        w.Comma(); w.Text(stringColumn);
        w.Comma(); w.Number(s.I, "F3");
        w.Comma(); w.Number(s.V, "F1");
        w.Comma(); w.Number(s.G, "F0");
        w.Comma(); w.Number(s.TExt, "F1");
        w.Comma(); w.Number(s.TMod, "F1");
        w.Comma(); w.Number(s.W, "F1");
        w.Comma(); w.Text(label);
        return w.Ok ? w.Position : -1;
    }

    /// <summary>Formats one row as a string (no line break).</summary>
    public static string FormatRow(DateTimeOffset time, string plant, string stringColumn, in TelemetrySample s, string label)
    {
        Span<char> buffer = stackalloc char[256 + plant.Length + stringColumn.Length + label.Length];
        var n = FormatRow(buffer, time, plant, stringColumn, s, label);
        return new string(buffer[..n]);
    }

    private ref struct RowWriter(Span<char> buffer)
    {
        private readonly Span<char> _buffer = buffer;

        public int Position { get; private set; }

        public bool Ok { get; private set; } = true;

        public void Comma()
        {
            if (Position < _buffer.Length) _buffer[Position++] = ',';
            else Ok = false;
        }

        public void Text(string s)
        {
            if (s.AsSpan().TryCopyTo(_buffer[Position..])) Position += s.Length;
            else Ok = false;
        }

        public void Number(double value, string format)
        {
            var rounded = Math.Round(value, format[1] - '0', MidpointRounding.AwayFromZero) + 0.0;
            if (rounded.TryFormat(_buffer[Position..], out var n, format, CultureInfo.InvariantCulture)) Position += n;
            else Ok = false;
        }

        public void Time(DateTime t)
        {
            if (t.TryFormat(_buffer[Position..], out var n, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)) Position += n;
            else Ok = false;
        }
    }
}
