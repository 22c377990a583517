namespace PvMonitor.Learning.Data;

/// <summary>
/// A table of float features (row-major) with an optional text label per row: what training and evaluation read from CSV.
/// </summary>
public sealed class TabularData
{
    /// <summary>Creates a table; <paramref name="features"/> holds <paramref name="rows"/> × <paramref name="featureNames"/>.Count values, row-major.</summary>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public TabularData(float[] features, int rows, IReadOnlyList<string> featureNames, string?[] labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(labels);
        if (featureNames.Count == 0) throw new ArgumentException("At least one feature is needed.", nameof(featureNames));
        if (features.Length != rows * featureNames.Count)
            throw new ArgumentException($"features has {features.Length} values, expected {rows} rows × {featureNames.Count} features.", nameof(features));
        if (labels.Length != rows) throw new ArgumentException($"labels has {labels.Length} entries, expected {rows}.", nameof(labels));
        Features = features;
        Rows = rows;
        FeatureNames = featureNames;
        Labels = labels;
    }

    /// <summary>Feature values, row-major (<see cref="Rows"/> × <see cref="FeatureCount"/>).</summary>
    public float[] Features { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Feature (column) names in order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Number of features per row.</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>The label of each row; null for unlabeled rows.</summary>
    public string?[] Labels { get; }

    /// <summary>The features of one row.</summary>
    public ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>A new table holding the rows listed in <paramref name="indices"/>, in that order.</summary>
    public TabularData Select(ReadOnlySpan<int> indices)
    {
        int f = FeatureCount;
        var features = new float[indices.Length * f];
        var labels = new string?[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int r = indices[i];
            Features.AsSpan(r * f, f).CopyTo(features.AsSpan(i * f, f));
            labels[i] = Labels[r];
        }

        return new TabularData(features, indices.Length, FeatureNames, labels);
    }

    /// <summary>The distinct non-null labels, in order of first appearance.</summary>
    public IReadOnlyList<string> DistinctLabels()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var label in Labels)
            if (label is not null && seen.Add(label)) result.Add(label);
        return result;
    }
}
