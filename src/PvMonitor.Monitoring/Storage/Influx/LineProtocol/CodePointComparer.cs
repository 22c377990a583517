namespace PvMonitor.Monitoring.Storage.Influx.LineProtocol;

/// <summary>
/// Orders strings by Unicode code point, which is the byte order of their UTF-8 encoding (Go's <c>bytes.Compare</c>,
/// the order the line-protocol reference asks tags to be sorted in). Plain ordinal order differs for
/// characters above U+FFFF versus U+E000–U+FFFF.
/// </summary>
internal sealed class CodePointComparer : IComparer<string>
{
    public static readonly CodePointComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            int a = x[i], b = y[i];
            if (a == b) continue;
            if (a >= 0xD800 && b >= 0xD800)
            {
                a = a >= 0xE000 ? a - 0x800 : a + 0x2000;
                b = b >= 0xE000 ? b - 0x800 : b + 0x2000;
            }

            return a - b;
        }

        return x.Length - y.Length;
    }
}
