using System.Text.Json.Serialization;

namespace PvMonitor.Learning.Training;

/// <summary>What <c>train --tune</c> tried and chose, stored in the manifest.</summary>
public sealed record TuningReport
{
    /// <summary>The wall-clock budget, seconds.</summary>
    [JsonPropertyName("budget_seconds")] public required double BudgetSeconds { get; init; }

    /// <summary>Seconds the search and the final fit took.</summary>
    [JsonPropertyName("seconds")] public required double Seconds { get; init; }

    /// <summary>How candidates were judged, e.g. "accuracy on the last 20 % of rows (time order)".</summary>
    [JsonPropertyName("validation")] public required string Validation { get; init; }

    /// <summary>Every candidate tried, in order.</summary>
    [JsonPropertyName("candidates")] public required IReadOnlyList<TuningCandidate> Candidates { get; init; }

    /// <summary>The name of the candidate whose settings the final model was trained with.</summary>
    [JsonPropertyName("chosen")] public required string Chosen { get; init; }
}

/// <summary>One setting tried by <c>train --tune</c>.</summary>
/// <param name="Name">Short name, e.g. "default" or "lr=3e-3".</param>
/// <param name="Accuracy">Accuracy on the held-out rows of known classes, or null without labels there.</param>
/// <param name="Elbo">Mean ELBO of the held-out rows (nats, SDGM), or null.</param>
/// <param name="Epochs">Epochs run.</param>
/// <param name="Seconds">Training seconds.</param>
public sealed record TuningCandidate(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("accuracy")] double? Accuracy,
    [property: JsonPropertyName("elbo")] double? Elbo,
    [property: JsonPropertyName("epochs")] int Epochs,
    [property: JsonPropertyName("seconds")] double Seconds);
