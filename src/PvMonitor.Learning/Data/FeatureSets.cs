namespace PvMonitor.Learning.Data;

/// <summary>The named feature sets of the PV paper: <c>complex</c> = I,V,G,TExt,TMod,W and <c>simple</c> = I,V.</summary>
public static class FeatureSets
{
    /// <summary>All six sensors.</summary>
    public static IReadOnlyList<string> Complex { get; } = ["I", "V", "G", "TExt", "TMod", "W"];

    /// <summary>Current and voltage only.</summary>
    public static IReadOnlyList<string> Simple { get; } = ["I", "V"];

    /// <summary>Resolves <c>complex</c>, <c>simple</c> or a comma list of column names.</summary>
    /// <exception cref="ArgumentException">The spec is empty or lists a column twice.</exception>
    public static IReadOnlyList<string> Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new ArgumentException("The feature set is empty: use complex, simple or a comma list of columns.", nameof(spec));
        switch (spec.Trim())
        {
            case "complex": return Complex;
            case "simple": return Simple;
        }

        var names = spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new ArgumentException($"The feature set '{spec}' lists no columns.", nameof(spec));
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"The feature set lists '{duplicate.Key}' twice.", nameof(spec));
        return names;
    }
}
