namespace PvMonitor.Learning.Training;

/// <summary>Standardised features with class indices (−1 = unlabeled) for training.</summary>
public sealed class TrainingSet
{
    /// <summary>Creates a training set; <paramref name="features"/> is rows × <paramref name="featureCount"/>, row-major, already standardised.</summary>
    /// <exception cref="ArgumentException">Sizes disagree or a label is outside −1..classCount−1.</exception>
    public TrainingSet(float[] features, int featureCount, int[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (featureCount < 1) throw new ArgumentOutOfRangeException(nameof(featureCount));
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount));
        if (features.Length != labels.Length * featureCount)
            throw new ArgumentException($"features holds {features.Length} values for {labels.Length} labels × {featureCount} features.", nameof(features));
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] < -1 || labels[i] >= classCount) throw new ArgumentException($"labels[{i}] = {labels[i]} is outside −1..{classCount - 1}.", nameof(labels));
        Features = features;
        FeatureCount = featureCount;
        Labels = labels;
        ClassCount = classCount;
    }

    /// <summary>Standardised features, row-major.</summary>
    public float[] Features { get; }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Class index per row, −1 for unlabeled.</summary>
    public int[] Labels { get; }

    /// <summary>Number of classes K.</summary>
    public int ClassCount { get; }

    /// <summary>Number of rows.</summary>
    public int Rows => Labels.Length;

    /// <summary>Number of labeled rows.</summary>
    public int LabeledCount
    {
        get
        {
            int n = 0;
            foreach (var y in Labels) if (y >= 0) n++;
            return n;
        }
    }

    /// <summary>Copies the features of the listed rows into <paramref name="destination"/> (row-major).</summary>
    public void GatherRows(ReadOnlySpan<int> rows, Span<float> destination)
    {
        int d = FeatureCount;
        for (int i = 0; i < rows.Length; i++)
            Features.AsSpan(rows[i] * d, d).CopyTo(destination.Slice(i * d, d));
    }

    /// <summary>A new set holding the listed rows.</summary>
    public TrainingSet Subset(ReadOnlySpan<int> rows)
    {
        var features = new float[rows.Length * FeatureCount];
        GatherRows(rows, features);
        var labels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++) labels[i] = Labels[rows[i]];
        return new TrainingSet(features, FeatureCount, labels, ClassCount);
    }
}
