namespace PvMonitor.Learning.Models;

/// <summary>Argument checks shared by the <see cref="IConditionModel.Score"/> implementations.</summary>
internal static class ScoreArguments
{
    public static void Check(ReadOnlySpan<float> features, int rows, int featureCount, int classCount,
        Span<float> probabilities, Span<float> elbo, Span<float> reconstructionZ)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "rows must be ≥ 0.");
        if (features.Length < rows * featureCount)
            throw new ArgumentException($"features holds {features.Length} values; {rows} rows × {featureCount} features need {rows * featureCount}.", nameof(features));
        if (probabilities.Length < rows * classCount)
            throw new ArgumentException($"probabilities holds {probabilities.Length} values; {rows} rows × {classCount} classes need {rows * classCount}.", nameof(probabilities));
        if (!elbo.IsEmpty && elbo.Length < rows)
            throw new ArgumentException($"elbo holds {elbo.Length} values; {rows} needed.", nameof(elbo));
        if (!reconstructionZ.IsEmpty && reconstructionZ.Length < rows * featureCount)
            throw new ArgumentException($"reconstructionZ holds {reconstructionZ.Length} values; {rows * featureCount} needed.", nameof(reconstructionZ));
    }
}
