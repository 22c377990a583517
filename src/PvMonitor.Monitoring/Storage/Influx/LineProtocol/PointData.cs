using System.Runtime.CompilerServices;

namespace PvMonitor.Monitoring.Storage.Influx.LineProtocol;

/// <summary>
/// One point to write: a measurement, tags, fields and an optional timestamp. A mutable, reusable builder:
/// after <see cref="Reset"/> it keeps its arrays, so a loop that fills and writes the same instance allocates nothing.
/// Every setter validates at once and throws a <see cref="LineProtocolException"/> naming the tag or field.
/// </summary>
/// <remarks>
/// Tags are kept sorted by key in code-point (UTF-8 byte) order; setting a tag or field again replaces it;
/// a tag whose value is null or empty is left out (line protocol has no empty tag values).
/// Not thread-safe. The writer encodes a point during the call that receives it, so the instance can be reused
/// as soon as that call returns.
/// </remarks>
public sealed class PointData
{
    private TagEntry[] _tags = new TagEntry[4];
    private int _tagCount;
    private FieldEntry[] _fields = new FieldEntry[8];
    private int _fieldCount;
    private string _measurement;
    private long _timestamp;
    private WritePrecision _timestampPrecision;
    private bool _hasTimestamp;

    private PointData(string measurement)
    {
        LineProtocolSyntax.ValidateName(measurement, LineProtocolSyntax.MeasurementSpecials, NameKind.Measurement);
        _measurement = measurement;
    }

    /// <summary>Starts a point for <paramref name="name"/>.</summary>
    public static PointData Measurement(string name) => new(name);

    /// <summary>The measurement name (unescaped).</summary>
    public string MeasurementName => _measurement;

    /// <summary>Number of tags set.</summary>
    public int TagCount => _tagCount;

    /// <summary>Number of fields set.</summary>
    public int FieldCount => _fieldCount;

    /// <summary>Whether a timestamp was set; without one the writer stamps the point with its clock.</summary>
    public bool HasTimestamp => _hasTimestamp;

    /// <summary>The timestamp value in <see cref="TimestampPrecision"/> units since the Unix epoch (0 when none).</summary>
    public long TimestampValue => _timestamp;

    /// <summary>The unit of <see cref="TimestampValue"/>.</summary>
    public WritePrecision TimestampPrecision => _timestampPrecision;

    /// <summary>Clears tags, fields and timestamp and sets a new measurement, keeping the allocated arrays.</summary>
    public PointData Reset(string measurement)
    {
        LineProtocolSyntax.ValidateName(measurement, LineProtocolSyntax.MeasurementSpecials, NameKind.Measurement);
        _measurement = measurement;
        Array.Clear(_tags, 0, _tagCount);
        Array.Clear(_fields, 0, _fieldCount);
        _tagCount = 0;
        _fieldCount = 0;
        _hasTimestamp = false;
        _timestamp = 0;
        return this;
    }

    /// <summary>Sets tag <paramref name="key"/>; a null or empty <paramref name="value"/> removes it.</summary>
    public PointData Tag(string key, string? value)
    {
        LineProtocolSyntax.ValidateName(key, LineProtocolSyntax.KeySpecials, NameKind.TagKey);
        if (string.IsNullOrEmpty(value))
        {
            RemoveTag(key);
            return this;
        }

        LineProtocolSyntax.ValidateName(value, LineProtocolSyntax.KeySpecials, NameKind.TagValue, key);
        var i = FindTagSlot(key, out var exists);
        if (exists)
        {
            _tags[i].Value = value;
            return this;
        }

        if (_tagCount == _tags.Length)
            Array.Resize(ref _tags, _tags.Length * 2);
        Array.Copy(_tags, i, _tags, i + 1, _tagCount - i);
        _tags[i] = new TagEntry(key, value);
        _tagCount++;
        return this;
    }

    /// <summary>Sets a float field. NaN and ±Infinity are rejected (line protocol has no spelling for them).</summary>
    public PointData Field(string key, double value)
    {
        ValidateFieldKey(key);
        if (!double.IsFinite(value))
            ThrowNotFinite(key, value);
        SetField(new FieldEntry(key, FieldKind.Float, BitConverter.DoubleToInt64Bits(value), null));
        return this;
    }

    /// <summary>Sets an integer field (written with the <c>i</c> suffix).</summary>
    public PointData Field(string key, long value)
    {
        ValidateFieldKey(key);
        SetField(new FieldEntry(key, FieldKind.Integer, value, null));
        return this;
    }

    /// <summary>Sets a boolean field.</summary>
    public PointData Field(string key, bool value)
    {
        ValidateFieldKey(key);
        SetField(new FieldEntry(key, FieldKind.Boolean, value ? 1 : 0, null));
        return this;
    }

    /// <summary>Sets a string field; any character may appear, quotes and backslashes are escaped on the wire.</summary>
    public PointData Field(string key, string value)
    {
        ValidateFieldKey(key);
        ArgumentNullException.ThrowIfNull(value, key);
        SetField(new FieldEntry(key, FieldKind.String, 0, value));
        return this;
    }

    /// <summary>Sets the timestamp as <paramref name="value"/> units of <paramref name="precision"/> since the Unix epoch.</summary>
    public PointData Timestamp(long value, WritePrecision precision)
    {
        if ((uint)precision > (uint)WritePrecision.Seconds)
            throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision.");
        _timestamp = value;
        _timestampPrecision = precision;
        _hasTimestamp = true;
        return this;
    }

    /// <summary>Sets the timestamp from a point in time (kept at 100 ns resolution, as nanoseconds).</summary>
    public PointData Timestamp(DateTimeOffset time) =>
        Timestamp(checked((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100), WritePrecision.Nanoseconds);

    /// <summary>Removes the timestamp, so the writer stamps the point when it receives it.</summary>
    public PointData ClearTimestamp()
    {
        _hasTimestamp = false;
        _timestamp = 0;
        return this;
    }

    internal ReadOnlySpan<TagEntry> Tags => _tags.AsSpan(0, _tagCount);

    internal ReadOnlySpan<FieldEntry> Fields => _fields.AsSpan(0, _fieldCount);

    /// <summary>The tag value for <paramref name="key"/>, or null.</summary>
    public string? GetTag(string key)
    {
        var i = FindTagSlot(key, out var exists);
        return exists ? _tags[i].Value : null;
    }

    /// <summary>Returns the line for this point (without the trailing newline) at <paramref name="precision"/>; for tests and logs.</summary>
    public string ToLineProtocol(WritePrecision precision = WritePrecision.Nanoseconds) =>
        LineProtocolEncoder.ToLine(this, precision);

    /// <inheritdoc />
    public override string ToString() => _fieldCount == 0 ? _measurement : ToLineProtocol(_hasTimestamp ? _timestampPrecision : WritePrecision.Nanoseconds);

    private int FindTagSlot(string key, out bool exists)
    {
        // Few tags per point: a linear scan beats a binary search and keeps insertion sorted.
        for (var i = 0; i < _tagCount; i++)
        {
            var c = CodePointComparer.Instance.Compare(_tags[i].Key, key);
            if (c == 0)
            {
                exists = true;
                return i;
            }

            if (c > 0)
            {
                exists = false;
                return i;
            }
        }

        exists = false;
        return _tagCount;
    }

    private void RemoveTag(string key)
    {
        var i = FindTagSlot(key, out var exists);
        if (!exists) return;
        Array.Copy(_tags, i + 1, _tags, i, _tagCount - i - 1);
        _tags[--_tagCount] = default;
    }

    private void SetField(FieldEntry field)
    {
        for (var i = 0; i < _fieldCount; i++)
        {
            if (string.Equals(_fields[i].Key, field.Key, StringComparison.Ordinal))
            {
                _fields[i] = field;
                return;
            }
        }

        if (_fieldCount == _fields.Length)
            Array.Resize(ref _fields, _fields.Length * 2);
        _fields[_fieldCount++] = field;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ValidateFieldKey(string key) =>
        LineProtocolSyntax.ValidateName(key, LineProtocolSyntax.KeySpecials, NameKind.FieldKey);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotFinite(string key, double value) =>
        throw new LineProtocolException(
            $"Field '{key}' is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}; line protocol accepts only finite floats.",
            key);

    internal struct TagEntry(string key, string value)
    {
        public readonly string Key = key;
        public string Value = value;
    }

    internal readonly struct FieldEntry(string key, FieldKind kind, long bits, string? text)
    {
        public readonly string Key = key;
        public readonly FieldKind Kind = kind;
        public readonly long Bits = bits;
        public readonly string? Text = text;
    }
}
