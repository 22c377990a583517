using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using PvMonitor.Domain.Telemetry;

namespace PvMonitor.Monitoring.Ingest;

/// <summary>
/// A parsed topic pattern such as <c>pv/+/+/+/telemetry</c> or <c>site/{plant}/{inverter}/{string}/data</c> that maps an
/// MQTT topic to a <see cref="StringKey"/>. A trailing <c>#</c> matches any remaining levels. Matching is allocation-free
/// for topics seen before (a bounded cache of topic → key).
/// </summary>
public sealed class TopicPattern
{
    private const int CaptureNone = -1;
    private const int MaxCachedTopics = 100_000;

    private readonly string[] _literals;   // literal text, or null for a wildcard level
    private readonly int[] _captures;      // 0 plant, 1 inverter, 2 string, -1 none
    private readonly bool _multiLevelTail;
    private readonly ConcurrentDictionary<string, StringKey> _cache = new(StringComparer.Ordinal);
    private int _cached;

    private TopicPattern(string pattern, string[] literals, int[] captures, bool multiLevelTail)
    {
        Pattern = pattern;
        _literals = literals;
        _captures = captures;
        _multiLevelTail = multiLevelTail;
    }

    /// <summary>The pattern text as given.</summary>
    public string Pattern { get; }

    /// <summary>The MQTT subscription filter for this pattern (named captures become <c>+</c>), e.g. <c>pv/+/+/+/telemetry</c>.</summary>
    public string SubscriptionFilter
    {
        get
        {
            var parts = new string[_literals.Length + (_multiLevelTail ? 1 : 0)];
            for (var k = 0; k < _literals.Length; k++) parts[k] = _literals[k] ?? "+";
            if (_multiLevelTail) parts[^1] = "#";
            return string.Join('/', parts);
        }
    }

    /// <summary>Parses a pattern.</summary>
    /// <exception cref="FormatException">The pattern is invalid; the message says why.</exception>
    public static TopicPattern Parse(string pattern) =>
        TryParse(pattern, out var result, out var error) ? result : throw new FormatException($"Topic pattern '{pattern}' {error}");

    /// <summary>Parses a pattern; on failure <paramref name="error"/> says why (e.g. "must capture {string}").</summary>
    public static bool TryParse(string? pattern, [NotNullWhen(true)] out TopicPattern? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (string.IsNullOrEmpty(pattern))
        {
            error = "must not be empty.";
            return false;
        }

        var levels = pattern.Split('/');
        var multi = levels[^1] == "#";
        var count = multi ? levels.Length - 1 : levels.Length;
        var literals = new string[count];
        var captures = new int[count];
        var nextPositional = 0;
        var seen = new bool[3];
        for (var k = 0; k < count; k++)
        {
            var level = levels[k];
            captures[k] = CaptureNone;
            int capture;
            if (level == "+")
            {
                capture = nextPositional < 3 ? nextPositional++ : CaptureNone;
                while (capture != CaptureNone && seen[capture]) capture = nextPositional < 3 ? nextPositional++ : CaptureNone;
            }
            else if (level is "{plant}" or "{inverter}" or "{string}")
            {
                capture = level == "{plant}" ? 0 : level == "{inverter}" ? 1 : 2;
                if (seen[capture])
                {
                    error = $"captures {level} twice.";
                    return false;
                }
            }
            else
            {
                if (level.Length == 0 || level.Contains('+') || level.Contains('#') || level.Contains('{') || level.Contains('}'))
                {
                    error = $"has an invalid level '{level}' (levels are text, '+', '{{plant}}', '{{inverter}}', '{{string}}', or a final '#').";
                    return false;
                }

                literals[k] = level;
                continue;
            }

            literals[k] = null!;
            captures[k] = capture;
            if (capture != CaptureNone) seen[capture] = true;
        }

        if (!seen[0] || !seen[1] || !seen[2])
        {
            error = "must capture plant, inverter and string (three '+' levels or {plant}, {inverter}, {string}).";
            return false;
        }

        result = new TopicPattern(pattern, literals, captures, multi);
        error = null;
        return true;
    }

    /// <summary>Matches a topic; on success <paramref name="key"/> holds the captured plant, inverter and string (never empty).</summary>
    public bool TryMatch(string topic, out StringKey key)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (_cache.TryGetValue(topic, out key)) return true;
        if (!TryMatchUncached(topic, out key)) return false;
        if (Volatile.Read(ref _cached) < MaxCachedTopics && _cache.TryAdd(topic, key)) Interlocked.Increment(ref _cached);
        return true;
    }

    private bool TryMatchUncached(string topic, out StringKey key)
    {
        key = default;
        Span<Range> found = stackalloc Range[3];
        var span = topic.AsSpan();
        var start = 0;
        for (var k = 0; k < _literals.Length; k++)
        {
            if (start > span.Length) return false;
            var slash = span[start..].IndexOf('/');
            var end = slash < 0 ? span.Length : start + slash;
            var level = span[start..end];
            var last = k == _literals.Length - 1;
            if (last && !_multiLevelTail && slash >= 0) return false;  // more levels than the pattern
            if (!last && slash < 0) return false;                        // fewer levels than the pattern
            if (_literals[k] is { } literal)
            {
                if (!level.SequenceEqual(literal)) return false;
            }
            else
            {
                if (level.IsEmpty) return false;
                if (_captures[k] != CaptureNone) found[_captures[k]] = start..end;
            }

            start = end + 1;
        }

        key = new StringKey(topic[found[0]], topic[found[1]], topic[found[2]]);
        return true;
    }
}
