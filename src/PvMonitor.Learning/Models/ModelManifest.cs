using System.Text.Json;
using System.Text.Json.Serialization;

namespace PvMonitor.Learning.Models;

/// <summary>
/// The <c>manifest.json</c> of a model directory: what the model is, how its inputs are normalised, which classes it
/// knows, how it was trained and how well it did, its anomaly threshold, and the name and SHA-256 of the weights file beside it
/// (<c>weights.pt</c>, a PyTorch state dict).
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The manifest format this code writes and reads (2: TorchSharp engine, weights.pt; 1 was the previous
    /// engine's weights.bin, which is refused with a message to retrain).</summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>Manifest format version (currently 2).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Model kind, one of <see cref="ModelKinds.Names"/>: <c>sdgm</c>, <c>m2</c>, <c>adgm</c>, <c>cagem</c>,
    /// <c>mlp</c> or <c>mlr</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The prior of a latent model's top latent: "standard" (N(0, I)) or "vamp" (the VampPrior; its pseudo-input
    /// count is hyperparameter <c>pseudo_inputs</c>); null for the baselines and in manifests written before priors were
    /// selectable (= standard).</summary>
    public string? Prior { get; init; }

    /// <summary>Version label, unique per trained model (e.g. <c>sdgm-20260301T101500Z-1a2b3c4d</c>).</summary>
    public required string Version { get; init; }

    /// <summary>When training finished (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>Input features in order (CSV column / payload field names).</summary>
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>Per-feature standardisation applied before the network.</summary>
    public required NormalisationInfo Normalisation { get; init; }

    /// <summary>Class names by output index.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>Hyperparameters (layer sizes, latent sizes, β, α, learning rate, batch sizes, epochs, warm-up, …).</summary>
    public required IReadOnlyDictionary<string, double> Hyperparameters { get; init; }

    /// <summary>Seed of every random source used in training.</summary>
    public required long Seed { get; init; }

    /// <summary>SHA-256 (hex) of the training data file's bytes.</summary>
    public required string TrainingDataHash { get; init; }

    /// <summary>Training-time metrics (e.g. validation accuracy, training ELBO percentiles, epochs run, rows).</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>The weights file and its checksum.</summary>
    public WeightsInfo? Weights { get; init; }

    /// <summary>The version whose weights training started from (fine-tuning), or null when it started from fresh weights.</summary>
    public string? InitialisedFrom { get; init; }

    /// <summary>The training snapshot beside the weights (a stratified sample of the labelled training rows that
    /// retraining replays), or null when the model has none.</summary>
    public SnapshotInfo? Snapshot { get; init; }

    /// <summary>What <c>train --tune</c> tried and chose, or null when the settings were given.</summary>
    public Training.TuningReport? Tuning { get; init; }

    /// <summary>The anomaly threshold on the ELBO in nats, or null for models without an ELBO (mlp, mlr).</summary>
    public AnomalyThreshold? Threshold { get; init; }

    /// <summary>
    /// The threshold of every anomaly score calibrated at training, by score name (<c>elbo</c>, <c>iw-elbo</c>, <c>lk</c>; see
    /// <see cref="AnomalyScores"/>), or null in manifests written before scores were selectable, which have only
    /// <see cref="Threshold"/> (the ELBO's). Use <see cref="ThresholdOf"/> to read one.
    /// </summary>
    public IReadOnlyDictionary<string, ScoreThreshold>? Thresholds { get; init; }

    /// <summary>
    /// The threshold of <paramref name="score"/>: its entry in <see cref="Thresholds"/>, else for the ELBO the legacy
    /// <see cref="Threshold"/>; null when the model has none for that score.
    /// </summary>
    public ScoreThreshold? ThresholdOf(AnomalyScore score)
    {
        if (Thresholds is { } all && all.TryGetValue(AnomalyScores.Name(score), out var t)) return t;
        return score == AnomalyScore.Elbo && Threshold is { } legacy ? new ScoreThreshold(legacy.Elbo, legacy.Percentile) : null;
    }

    /// <summary>Serialiser settings: camelCase, indented, enums as strings.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

/// <summary>Per-feature centre and scale (z = (x − mean) / std).</summary>
/// <param name="Mean">Centre per feature: the mean (standard scaling) or the median (robust scaling).</param>
/// <param name="Std">Scale per feature: the standard deviation or the interquartile range / 1.349.</param>
/// <param name="Method">How they were fitted: "standard" or "robust"; null in files written before robust scaling (standard).</param>
public sealed record NormalisationInfo(IReadOnlyList<float> Mean, IReadOnlyList<float> Std, string? Method = null);

/// <summary>The ELBO threshold below which a sample is anomalous.</summary>
/// <param name="Elbo">Threshold in nats; a sample whose ELBO is below it is flagged.</param>
/// <param name="Percentile">The percentile of training ELBOs it was calibrated at (e.g. 0.5).</param>
public sealed record AnomalyThreshold(double Elbo, double Percentile);

/// <summary>The weights file of a model directory.</summary>
/// <param name="File">File name inside the model directory (<c>weights.pt</c>).</param>
/// <param name="Format">Format: <c>pytorch-state-dict</c> (readable with <c>torch.load</c>).</param>
/// <param name="Sha256">SHA-256 of the file's bytes (hex); a file that does not match is refused.</param>
public sealed record WeightsInfo(string File, string Format, string Sha256);
