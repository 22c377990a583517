using PvMonitor.Learning.Data;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PvMonitor.Learning.Models.Classifiers;

/// <summary>A trained MLP or MLR baseline: class probabilities only (no ELBO, so no anomaly score). Thread-safe.</summary>
public sealed class ClassifierModel : IConditionModel, IDisposable
{
    private const int ChunkRows = 4096;
    private readonly InputScaling _scaling;
    private readonly int _classes;

    /// <summary>Wraps a trained network (put into evaluation mode and moved to <paramref name="device"/>, default CPU).</summary>
    public ClassifierModel(ClassifierNetwork network, Standardizer standardizer, ModelManifest manifest, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(standardizer);
        ArgumentNullException.ThrowIfNull(manifest);
        Device = device ?? CPU;
        Network = network;
        Standardizer = standardizer;
        Manifest = manifest;
        _classes = manifest.Classes.Count;
        network.to(Device);
        network.eval();
        _scaling = new InputScaling(standardizer, Device);
    }

    /// <summary>The network.</summary>
    public ClassifierNetwork Network { get; }

    /// <summary>Where the weights live and scoring runs.</summary>
    public Device Device { get; }

    /// <summary>The input standardisation.</summary>
    public Standardizer Standardizer { get; }

    /// <inheritdoc />
    public ModelManifest Manifest { get; internal set; }

    /// <inheritdoc />
    public IReadOnlyList<string> Features => Manifest.Features;

    /// <inheritdoc />
    public IReadOnlyList<string> Classes => Manifest.Classes;

    /// <inheritdoc />
    public bool HasElbo => false;

    /// <inheritdoc />
    public void Score(ReadOnlySpan<float> features, int rows, Span<float> probabilities, Span<float> elbo, Span<float> reconstructionZ)
    {
        int d = Standardizer.Count;
        ScoreArguments.Check(features, rows, d, _classes, probabilities, elbo, reconstructionZ);
        using var mode = inference_mode();
        for (int start = 0; start < rows; start += ChunkRows)
        {
            int n = Math.Min(ChunkRows, rows - start);
            using var scope = NewDisposeScope();
            var probs = softmax(Network.forward(_scaling.Standardise(features.Slice(start * d, n * d), n)), 1);
            InputScaling.CopyOut(probs, probabilities.Slice(start * _classes, n * _classes));
        }

        if (!elbo.IsEmpty) elbo[..rows].Fill(float.NaN);
        if (!reconstructionZ.IsEmpty) reconstructionZ[..(rows * d)].Clear();
    }

    /// <summary>Frees the native weights.</summary>
    public void Dispose()
    {
        _scaling.Dispose();
        Network.Dispose();
    }
}
