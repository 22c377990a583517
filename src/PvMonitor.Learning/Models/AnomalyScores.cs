namespace PvMonitor.Learning.Models;

/// <summary>Names, parsing and shared settings of the <see cref="AnomalyScore"/>s.</summary>
public static class AnomalyScores
{
    /// <summary>Importance samples of the <c>iw-elbo</c> score (16) unless a threshold records another count.</summary>
    public const int ImportanceSamples = 16;

    /// <summary>Every score, in the order reports list them (elbo, iw-elbo, lk).</summary>
    public static IReadOnlyList<AnomalyScore> All { get; } = [AnomalyScore.Elbo, AnomalyScore.IwElbo, AnomalyScore.Lk];

    /// <summary>The names accepted by <see cref="TryParse"/>, comma-separated, for messages.</summary>
    public static string NameList { get; } = string.Join(", ", All.Select(Name));

    /// <summary>The score's name: <c>elbo</c>, <c>iw-elbo</c> or <c>lk</c>.</summary>
    public static string Name(AnomalyScore score) => score switch
    {
        AnomalyScore.Elbo => "elbo",
        AnomalyScore.IwElbo => "iw-elbo",
        AnomalyScore.Lk => "lk",
        _ => throw new ArgumentOutOfRangeException(nameof(score), score, "Unknown anomaly score."),
    };

    /// <summary>Parses a name (case-insensitive, surrounding blanks ignored).</summary>
    public static bool TryParse(string? name, out AnomalyScore score)
    {
        var n = (name ?? "").Trim();
        foreach (var s in All)
        {
            if (!string.Equals(Name(s), n, StringComparison.OrdinalIgnoreCase)) continue;
            score = s;
            return true;
        }

        score = AnomalyScore.Elbo;
        return false;
    }

    /// <summary>Whether <paramref name="model"/> computes <paramref name="score"/>: the ELBO for every model with one
    /// (<see cref="IConditionModel.HasElbo"/>), the others where the model is an <see cref="IAnomalyScoringModel"/> that supports them.</summary>
    public static bool Supports(IConditionModel model, AnomalyScore score)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.HasElbo && (model is IAnomalyScoringModel scoring ? scoring.Supports(score) : score == AnomalyScore.Elbo);
    }

    /// <summary>
    /// Computes <paramref name="score"/> (nats) for <paramref name="rows"/> rows of raw features: through
    /// <see cref="IAnomalyScoringModel.ScoreAnomaly"/> where the model has it, else (the ELBO) through <see cref="IConditionModel.Score"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The model does not compute <paramref name="score"/> (see <see cref="Supports"/>).</exception>
    public static void Compute(IConditionModel model, AnomalyScore score, ReadOnlySpan<float> features, int rows, Span<float> result)
    {
        if (!Supports(model, score)) throw new NotSupportedException($"Model {model.Manifest.Version} ({model.Manifest.Kind}) has no anomaly score '{Name(score)}'.");
        if (model is IAnomalyScoringModel scoring) scoring.ScoreAnomaly(score, features, rows, result);
        else model.Score(features, rows, new float[rows * model.Classes.Count], result[..rows], default);
    }

    /// <summary>Parses a name or throws <see cref="ArgumentException"/> listing the valid ones.</summary>
    public static AnomalyScore Parse(string? name) =>
        TryParse(name, out var s) ? s : throw new ArgumentException($"'{name}' is not an anomaly score (expected {NameList}).", nameof(name));
}
