namespace PvMonitor.Learning.Experiments;

/// <summary>Accuracies of one model on one feature set over folds or repeats.</summary>
public sealed record AccuracySeries(string Model, string Features, IReadOnlyList<double> Accuracies)
{
    /// <summary>Mean accuracy (0–1).</summary>
    public double Mean => Accuracies.Count == 0 ? double.NaN : Accuracies.Average();

    /// <summary>Sample standard deviation (0 for a single value).</summary>
    public double Std
    {
        get
        {
            if (Accuracies.Count < 2) return 0;
            double m = Mean;
            return Math.Sqrt(Accuracies.Sum(a => (a - m) * (a - m)) / (Accuracies.Count - 1));
        }
    }
}

/// <summary>One point of Fig. 7: accuracy at a label budget.</summary>
public sealed record BudgetPoint(string Model, string Features, int Labels, IReadOnlyList<double> Accuracies)
{
    /// <summary>Mean accuracy.</summary>
    public double Mean => Accuracies.Average();

    /// <summary>Sample standard deviation.</summary>
    public double Std => new AccuracySeries(Model, Features, Accuracies).Std;
}

/// <summary>One step of Fig. 8: the classes included so far and what the models do.</summary>
public sealed record ProgressiveStep(
    IReadOnlyList<string> Included,
    double SdgmAccuracy,
    double MlpAccuracy,
    double ElboIncludedMean,
    double ElboIncludedStd,
    double ElboExcludedMean,
    double ElboExcludedStd,
    double AurocExcluded,
    IReadOnlyList<float> ElboIncludedSample,
    IReadOnlyList<float> ElboExcludedSample);

/// <summary>A confusion matrix of one model on one feature set (summed over folds).</summary>
public sealed record ConfusionEntry(string Model, string Features, IReadOnlyList<string> Labels, int[][] Matrix);

/// <summary>2-D PCA of the SDGM's z1 means for test rows, with their labels (the paper's Fig. 5b/6).</summary>
public sealed record LatentProjection(string Features, IReadOnlyList<float> Pc1, IReadOnlyList<float> Pc2, IReadOnlyList<string> Labels);

/// <summary>Everything the paper experiment measured.</summary>
public sealed record PaperExperimentResults
{
    /// <summary>Class order used (Table II order for the paper's classes).</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>Rows in the data set.</summary>
    public required int Rows { get; init; }

    /// <summary>Table III: fully supervised accuracy per model and feature set.</summary>
    public IReadOnlyList<AccuracySeries> Table3 { get; init; } = [];

    /// <summary>Confusion matrices of Table III's runs (summed over folds).</summary>
    public IReadOnlyList<ConfusionEntry> Confusions { get; init; } = [];

    /// <summary>PCA of z1 (first fold) per feature set.</summary>
    public IReadOnlyList<LatentProjection> Latents { get; init; } = [];

    /// <summary>Fig. 7: accuracy versus label budget.</summary>
    public IReadOnlyList<BudgetPoint> Figure7 { get; init; } = [];

    /// <summary>Fig. 8: classes added one by one.</summary>
    public IReadOnlyList<ProgressiveStep> Figure8 { get; init; } = [];

    /// <summary>Wall time of the whole run, seconds.</summary>
    public double Seconds { get; init; }
}
