using PvMonitor.Learning.Models;

namespace PvMonitor.Learning.Experiments;

/// <summary>Settings of <c>experiment variants</c>: which models and scores, how many seeds, epochs, rows and labels.</summary>
public sealed record VariantExperimentOptions
{
    /// <summary>The "complex" input columns (default <see cref="Data.FeatureSets.Complex"/>: I, V, G, TExt, TMod, W); the "simple" ones are
    /// always <see cref="Data.FeatureSets.Simple"/> (I, V).</summary>
    public IReadOnlyList<string> ComplexFeatures { get; init; } = Data.FeatureSets.Complex;

    /// <summary>Model kinds to compare, in report order (default <see cref="ExperimentModelKinds.All"/>).</summary>
    public IReadOnlyList<string> Models { get; init; } = ExperimentModelKinds.All;

    /// <summary>Anomaly scores to compare (default all: elbo, iw-elbo, lk); a model gets an AUROC row per score it can compute.</summary>
    public IReadOnlyList<AnomalyScore> Scores { get; init; } = AnomalyScores.All;

    /// <summary>Labels per class for the accuracy runs, null meaning all (default 10, 100, all).</summary>
    public IReadOnlyList<int?> LabelsPerClass { get; init; } = [10, 100, null];

    /// <summary>Seeds (default 3): each gives its own 80/20 split, label subsample and initial weights.</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>Maximum epochs per training run, every model (default 50; early stopping may end sooner on large data).</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>Labelled rows used, drawn at random with the first seed (default 0 = all).</summary>
    public int Rows { get; init; }

    /// <summary>Conditions held out of training one at a time for the AUROC runs (default none: no AUROC section).</summary>
    public IReadOnlyList<string> HeldOut { get; init; } = [];

    /// <summary>First seed; seed i uses <c>Seed + i</c> (default 1).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Where every model trains and scores (null = CPU).</summary>
    public TorchSharp.torch.Device? Device { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Models.Count == 0) throw new ArgumentException("Models must list at least one model kind.", nameof(Models));
        if (Scores.Count == 0) throw new ArgumentException("Scores must list at least one anomaly score.", nameof(Scores));
        if (LabelsPerClass.Count == 0 || LabelsPerClass.Any(l => l is < 1)) throw new ArgumentException("LabelsPerClass must be positive counts or all.", nameof(LabelsPerClass));
        if (Seeds is < 1 or > 100) throw new ArgumentException("Seeds must be 1–100.", nameof(Seeds));
        if (Epochs < 1) throw new ArgumentException("Epochs must be ≥ 1.", nameof(Epochs));
        if (Rows < 0) throw new ArgumentException("Rows must be ≥ 0 (0 = all).", nameof(Rows));
    }

    /// <summary>The name of a label budget in reports: the count, or <c>all</c>.</summary>
    public static string LabelName(int? perClass) => perClass is int n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "all";
}
