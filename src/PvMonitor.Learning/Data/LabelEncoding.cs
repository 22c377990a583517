namespace PvMonitor.Learning.Data;

/// <summary>Maps text labels to class indices 0..K−1 (−1 for unlabeled rows and rows of unknown classes).</summary>
public sealed class LabelEncoding
{
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates an encoding for <paramref name="classNames"/> in that order.</summary>
    /// <exception cref="ArgumentException">No classes, or a class listed twice.</exception>
    public LabelEncoding(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count == 0) throw new ArgumentException("At least one class is needed.", nameof(classNames));
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classNames.Count; i++)
            if (!_index.TryAdd(classNames[i], i)) throw new ArgumentException($"Class '{classNames[i]}' is listed twice.", nameof(classNames));
        ClassNames = classNames.ToArray();
    }

    /// <summary>Class names by index.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of classes K.</summary>
    public int Count => ClassNames.Count;

    /// <summary>The index of <paramref name="label"/>, or −1 when it is null or not a known class.</summary>
    public int IndexOf(string? label) => label is not null && _index.TryGetValue(label, out var i) ? i : -1;

    /// <summary>Encodes every label (−1 for null or unknown).</summary>
    public int[] Encode(IReadOnlyList<string?> labels)
    {
        var result = new int[labels.Count];
        for (int i = 0; i < result.Length; i++) result[i] = IndexOf(labels[i]);
        return result;
    }
}
