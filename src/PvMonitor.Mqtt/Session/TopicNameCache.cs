using System.Text;

namespace PvMonitor.Mqtt.Session;

/// <summary>
/// Turns received topic bytes into strings without allocating for topics seen before: a direct-mapped table of
/// 4,096 entries keyed by a hash of the bytes (a fleet repeats the same few thousand topics). Topics over
/// 256 bytes are decoded every time. Fixed memory; single-threaded (the read loop owns it).
/// </summary>
internal sealed class TopicNameCache
{
    private const int Size = 4096;
    private const int MaxCachedLength = 256;
    private readonly Entry[] _entries = new Entry[Size];

    /// <summary>The string for already validated UTF-8 <paramref name="utf8"/>.</summary>
    public string GetOrAdd(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxCachedLength)
            return Encoding.UTF8.GetString(utf8);
        var hash = new HashCode();
        hash.AddBytes(utf8);
        ref var entry = ref _entries[hash.ToHashCode() & (Size - 1)];
        if (entry.Utf8 is { } bytes && utf8.SequenceEqual(bytes))
            return entry.Value!;
        var value = Encoding.UTF8.GetString(utf8);
        entry = new Entry(utf8.ToArray(), value);
        return value;
    }

    private readonly record struct Entry(byte[]? Utf8, string? Value);
}
