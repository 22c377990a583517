using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models.Latent;
using TorchSharp;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Models.Sdgm;

/// <summary>
/// A trained SDGM with its normalisation: classifies with q(y|z1,x) at z1 = E[q(z1|x)] and scores anomalies with the ELBO
/// U(x) (<see cref="LatentModel"/>), and gives the latent means of the paper's PCA figures. Thread-safe: calls share only
/// the read-only weights.
/// </summary>
public sealed partial class SdgmModel : LatentModel
{
    /// <summary>Wraps a trained network and moves it to <paramref name="device"/> (default CPU).</summary>
    public SdgmModel(SdgmNetwork network, Standardizer standardizer, ModelManifest manifest, Device? device = null, int elboSamples = 1)
        : base(network, standardizer, manifest, device, elboSamples)
    {
        Network = network;
    }

    /// <summary>The network (in evaluation mode, on <see cref="LatentModel.Device"/>).</summary>
    public SdgmNetwork Network { get; }

    /// <summary>The mean of q(z1|x) for each row of raw features (rows × <see cref="SdgmOptions.Z1"/>, row-major).</summary>
    public float[] LatentMeans(ReadOnlySpan<float> features, int rows)
    {
        int d = Network.Features, z = Network.Options.Z1;
        if (features.Length < rows * d) throw new ArgumentException($"features holds {features.Length} values, {rows} rows need {rows * d}.", nameof(features));
        var result = new float[rows * z];
        using var mode = inference_mode();
        for (int start = 0; start < rows; start += ChunkRows)
        {
            int n = Math.Min(ChunkRows, rows - start);
            using var scope = NewDisposeScope();
            CopyOut(Network.LatentMean(Standardise(features.Slice(start * d, n * d), n)), result.AsSpan(start * z, n * z));
        }

        return result;
    }
}
