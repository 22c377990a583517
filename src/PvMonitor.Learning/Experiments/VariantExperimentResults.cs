namespace PvMonitor.Learning.Experiments;

/// <summary>Everything an <c>experiment variants</c> run measured (written to <c>results.json</c> and <c>report.md</c>).</summary>
public sealed record VariantExperimentResults
{
    /// <summary>Classes in the data, in Table II order.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>Labelled rows used.</summary>
    public required int Rows { get; init; }

    /// <summary>Seeds run.</summary>
    public required int Seeds { get; init; }

    /// <summary>Accuracy per (model, inputs, labels per class).</summary>
    public required IReadOnlyList<VariantAccuracy> Accuracy { get; init; }

    /// <summary>AUROC per (model, score) over held-out conditions; only models that compute the score.</summary>
    public required IReadOnlyList<VariantAuroc> Auroc { get; init; }

    /// <summary>Conditions held out for the AUROC runs.</summary>
    public required IReadOnlyList<string> HeldOut { get; init; }

    /// <summary>Seconds per training epoch per (model, inputs).</summary>
    public required IReadOnlyList<VariantEpochTime> EpochTimes { get; init; }

    /// <summary>Cluster purity of each cagem variant trained with no labels (complex inputs), one value per seed.</summary>
    public IReadOnlyList<VariantPurity> ClusterPurity { get; init; } = [];

    /// <summary>The most frequent condition's share of the labelled rows: the purity of a single cluster.</summary>
    public double MajorityShare { get; init; } = double.NaN;

    /// <summary>Best model by mean accuracy and best score by mean AUROC.</summary>
    public required VariantRecommendation Recommendation { get; init; }

    /// <summary>Wall time of the whole run, seconds.</summary>
    public required double Seconds { get; init; }
}
