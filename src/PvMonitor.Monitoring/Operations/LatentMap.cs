using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;

namespace PvMonitor.Monitoring.Operations;

/// <summary>
/// The paper's latent picture of a model: the mean of q(z1|x) for a stratified sample of its training snapshot, projected
/// onto the first two principal components. Shows whether conditions form separate clusters in the latent space.
/// </summary>
/// <param name="Explained">Share of the latent variance along PC1 and PC2 (0–1).</param>
/// <param name="Points">One point per row: its coordinates and its label.</param>
public sealed record LatentMap(IReadOnlyList<double> Explained, IReadOnlyList<LatentPoint> Points)
{
    /// <summary>Computes the map of <paramref name="model"/> on up to <paramref name="maxRows"/> rows of <paramref name="snapshot"/> (as evenly per class as it allows).</summary>
    /// <exception cref="OperationRejectedException">The model has no latent space (mlp, mlr: Invalid).</exception>
    public static LatentMap Of(IConditionModel model, TabularData snapshot, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (model is not SdgmModel sdgm)
            throw new OperationRejectedException(RejectionKind.Invalid, "version", $"A {model.Manifest.Kind} model has no latent space to map (only sdgm).");
        var classes = Math.Max(1, snapshot.DistinctLabels().Count);
        var sample = TrainingSnapshot.Sample(snapshot, Math.Max(1, maxRows / classes), seed: 1);
        var rows = sample.Rows;
        var z = sdgm.Network.Options.Z1;
        var latent = sdgm.LatentMeans(sample.Features, rows);
        var projected = Pca.Project(latent, rows, z, Math.Min(2, z), out var explained);
        var components = explained.Length;
        var points = new LatentPoint[rows];
        for (var r = 0; r < rows; r++)
            points[r] = new LatentPoint(projected[r * components], components > 1 ? projected[r * components + 1] : 0, sample.Labels[r] ?? "");
        return new LatentMap(explained, points);
    }
}
