using PvMonitor.Learning.Models.Classifiers;
using PvMonitor.Learning.Models.Sdgm;

namespace PvMonitor.Learning.Training;

/// <summary>Everything <see cref="ConditionModelTrainer"/> needs besides the data.</summary>
public sealed record TrainRequest
{
    /// <summary>Model kind, one of <see cref="Models.ModelKinds.Names"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>Train only on these classes, in this output order; rows labeled with other classes are dropped
    /// (unlabeled rows stay). Null = every label in the data, ordered by <see cref="PreferredClassOrder"/>.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Order for classes found in the data (e.g. the paper's Table II); classes not listed follow alphabetically.</summary>
    public IReadOnlyList<string> PreferredClassOrder { get; init; } = [];

    /// <summary>Keep this many random labels per class and treat the other rows as unlabeled; null = all labels; 0 (cagem
    /// only: clustering with no labels) hides every label.</summary>
    public int? LabelsPerClass { get; init; }

    /// <summary>Seed of every random source.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Hyperparameters of the latent kinds (sdgm, m2, adgm, cagem), including the prior and the consistency weight.</summary>
    public SdgmOptions Sdgm { get; init; } = new();

    /// <summary>Baseline hyperparameters (for <c>mlp</c>/<c>mlr</c>); null = the paper's defaults for the kind.</summary>
    public ClassifierOptions? Classifier { get; init; }

    /// <summary>When training finished, for the manifest (pass the clock's now).</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>SHA-256 (hex) of the training data, for the manifest.</summary>
    public string TrainingDataHash { get; init; } = "";

    /// <summary>Where to train (from <see cref="Torch.TorchRuntime.ResolveDevice"/>); null = CPU.</summary>
    public TorchSharp.torch.Device? Device { get; init; }

    /// <summary>Rows of training data used to calibrate the anomaly threshold (default 20,000; a random subset above that).</summary>
    public int ThresholdRows { get; init; } = 20_000;

    /// <summary>How inputs are scaled before training (default <see cref="InputScalingMethod.Robust"/>: median and
    /// interquartile range; the paper: <see cref="InputScalingMethod.Standard"/>).</summary>
    public InputScalingMethod Scaling { get; init; } = InputScalingMethod.Robust;

    /// <summary>Wall-clock limit of the training loop: no new epoch starts after it (the best epoch so far is kept).
    /// Default null: none.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>
    /// Continue from this trained model (fine-tuning) instead of fresh weights — sdgm only
    /// (<see cref="Models.ModelKind.SupportsFineTuning"/>; m2, adgm and cagem train from scratch): same kind and features; its classes come
    /// first in their order, classes new in the data are added; its input scaling and architecture are kept and there is no
    /// KL warm-up. Null (default): train from scratch.
    /// </summary>
    public Models.IConditionModel? Parent { get; init; }
}
