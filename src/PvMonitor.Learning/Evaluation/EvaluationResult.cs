using System.Text.Json.Serialization;

namespace PvMonitor.Learning.Evaluation;

/// <summary>What <c>pvmonitor evaluate --json</c> prints (snake_case JSON).</summary>
public sealed record EvaluationResult
{
    /// <summary>Model version evaluated.</summary>
    [JsonPropertyName("model")] public required string Model { get; init; }

    /// <summary>Rows in the file.</summary>
    [JsonPropertyName("rows")] public required int Rows { get; init; }

    /// <summary>Accuracy on labeled rows of the model's classes (0–1).</summary>
    [JsonPropertyName("accuracy")] public required double Accuracy { get; init; }

    /// <summary>Macro-averaged F1 (0–1).</summary>
    [JsonPropertyName("macro_f1")] public required double MacroF1 { get; init; }

    /// <summary>Per-class metrics by class name.</summary>
    [JsonPropertyName("per_class")] public required IReadOnlyDictionary<string, PerClassResult> PerClass { get; init; }

    /// <summary>Confusion matrix (rows = true, columns = predicted).</summary>
    [JsonPropertyName("confusion")] public required ConfusionResult Confusion { get; init; }

    /// <summary>ELBO statistics over all scored rows (nats); null for models without an ELBO.</summary>
    [JsonPropertyName("elbo")] public ElboResult? Elbo { get; init; }

    /// <summary>Anomaly statistics on the selected score (<c>--score</c>); null for models without an ELBO or without a threshold.</summary>
    [JsonPropertyName("anomaly")] public AnomalyResult? Anomaly { get; init; }

    /// <summary>Rows scored per second (class posterior + full K-class ELBO), wall clock, all cores.</summary>
    [JsonPropertyName("samples_per_second")] public required double SamplesPerSecond { get; init; }
}

/// <summary>Precision, recall, F1 and support of one class.</summary>
public sealed record PerClassResult(
    [property: JsonPropertyName("precision")] double Precision,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("f1")] double F1,
    [property: JsonPropertyName("support")] int Support);

/// <summary>Confusion matrix with its labels.</summary>
public sealed record ConfusionResult(
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("matrix")] int[][] Matrix);

/// <summary>ELBO statistics in nats.</summary>
public sealed record ElboResult(
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("p01")] double P01,
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("iw_mean")] double? IwMean,
    [property: JsonPropertyName("iw_samples")] int? IwSamples);

/// <summary>Anomaly detection results.</summary>
/// <param name="Threshold">Threshold of the anomaly score in nats (a row below it is flagged).</param>
/// <param name="FlaggedRate">Fraction of all scored rows flagged.</param>
/// <param name="FlaggedRateSeen">Fraction of rows of known classes flagged (false-alarm rate).</param>
/// <param name="FlaggedRateUnseen">Fraction of rows of --unseen classes flagged (detection rate), or null.</param>
/// <param name="AurocUnseen">AUROC of −score separating --unseen rows from the others, or null without --unseen rows.</param>
public sealed record AnomalyResult(
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("flagged_rate")] double FlaggedRate,
    [property: JsonPropertyName("flagged_rate_seen")] double FlaggedRateSeen,
    [property: JsonPropertyName("flagged_rate_unseen")] double? FlaggedRateUnseen,
    [property: JsonPropertyName("auroc_unseen")] double? AurocUnseen)
{
    /// <summary>The anomaly score flags and AUROC use: <c>elbo</c> (default), <c>iw-elbo</c> or <c>lk</c>.</summary>
    [JsonPropertyName("score")] public string Score { get; init; } = "elbo";
}
