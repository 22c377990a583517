using PvMonitor.Learning.Torch;
using PvMonitor.Learning.Data;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PvMonitor.Learning.Models.Latent;

/// <summary>
/// A trained semi-supervised latent model (sdgm, m2, adgm, cagem; <see cref="ModelKinds"/>) with its normalisation:
/// classifies with the network's q(y|·) at the latent means and scores anomalies with the ELBO U(x). Scoring runs without
/// autograd (inference mode), one forward per chunk of rows for all K classes at once, every tensor disposed when the call
/// returns. Thread-safe: calls share only the read-only weights. <see cref="Sdgm.SdgmModel"/> is the SDGM's subclass.
/// </summary>
public class LatentModel : IConditionModel, IDisposable
{
    /// <summary>Rows scored per forward pass (each is expanded to K rows inside).</summary>
    public const int ChunkRows = 2048;

    private readonly InputScaling _scaling;
    private readonly ILatentNetwork _network;

    /// <summary>Wraps a trained network (any latent kind) and moves it to <paramref name="device"/> (default CPU).</summary>
    internal LatentModel(ILatentNetwork network, Standardizer standardizer, ModelManifest manifest, Device? device, int elboSamples)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(standardizer);
        ArgumentNullException.ThrowIfNull(manifest);
        if (standardizer.Count != network.Features) throw new ArgumentException($"The standardiser has {standardizer.Count} features, the network {network.Features}.", nameof(standardizer));
        if (manifest.Classes.Count != network.Classes) throw new ArgumentException($"The manifest lists {manifest.Classes.Count} classes, the network has {network.Classes}.", nameof(manifest));
        if (elboSamples < 1) throw new ArgumentOutOfRangeException(nameof(elboSamples), elboSamples, "At least one sample is needed.");
        _network = network;
        Module = network.Module;
        Device = device ?? CPU;
        Standardizer = standardizer;
        Manifest = manifest;
        ElboSamples = elboSamples;
        Module.to(Device);
        Module.eval();
        _scaling = new InputScaling(standardizer, Device);
    }

    /// <summary>The network as a TorchSharp module (in evaluation mode, on <see cref="Device"/>): its state dict is <c>weights.pt</c>.</summary>
    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>The network's training and scoring interface.</summary>
    internal ILatentNetwork LatentNetwork => _network;

    /// <summary>Where the weights live and scoring runs.</summary>
    public Device Device { get; }

    /// <summary>The input standardisation.</summary>
    public Standardizer Standardizer { get; }

    /// <inheritdoc />
    public ModelManifest Manifest { get; internal set; }

    /// <summary>Monte-Carlo samples averaged per ELBO (default 1).</summary>
    public int ElboSamples { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Features => Manifest.Features;

    /// <inheritdoc />
    public IReadOnlyList<string> Classes => Manifest.Classes;

    /// <inheritdoc />
    public bool HasElbo => true;

    /// <inheritdoc />
    public void Score(ReadOnlySpan<float> features, int rows, Span<float> probabilities, Span<float> elbo, Span<float> reconstructionZ)
    {
        int d = _network.Features, k = _network.Classes;
        ScoreArguments.Check(features, rows, d, k, probabilities, elbo, reconstructionZ);
        if (rows == 0) return;
        using var mode = inference_mode();
        // Same input batch → same noise → same scores.
        using var generator = new Generator(unchecked((ulong)Manifest.Seed * 0x9E3779B97F4A7C15UL + (ulong)rows), Device);
        for (int start = 0; start < rows; start += ChunkRows)
        {
            int n = Math.Min(ChunkRows, rows - start);
            using var scope = NewDisposeScope();
            var x = Standardise(features.Slice(start * d, n * d), n);
            var probs = softmax(_network.ClassifierLogits(x), 1);
            CopyOut(probs, probabilities.Slice(start * k, n * k));
            if (elbo.IsEmpty && reconstructionZ.IsEmpty) continue;

            Tensor? bound = null, z = null;
            for (int s = 0; s < ElboSamples; s++)
            {
                var parts = _network.UnlabeledParts(x, 1.0, generator);
                bound = bound is null ? parts.Bound : bound + parts.Bound;
                if (reconstructionZ.IsEmpty) continue;
                // (x − E[x̂|y]) / σ̂_y per (row, class), averaged over classes by q(y|x).
                var perClass = (parts.RepeatedInput - parts.DecoderMean) * parts.DecoderLogVar.Times(-0.5).exp();
                var zs = (perClass.view(n, k, d) * probs.unsqueeze(2)).sum(1);
                z = z is null ? zs : z + zs;
            }

            if (!elbo.IsEmpty) CopyOut(bound!.Over(ElboSamples), elbo.Slice(start, n));
            if (!reconstructionZ.IsEmpty) CopyOut(z!.Over(ElboSamples), reconstructionZ.Slice(start * d, n * d));
        }
    }

    /// <summary>
    /// The importance-weighted bound log p(x) ≥ E[log (1/S) Σ_s Σ_y p(x, y, latents_s,y) / q(latents_s,y | x, y)] in nats
    /// with <paramref name="samples"/> = S samples per row (y summed exactly). Tighter than U(x); used by evaluation.
    /// </summary>
    public void ImportanceWeightedElbo(ReadOnlySpan<float> features, int rows, int samples, Span<float> result, ulong seed = 1)
    {
        int d = _network.Features;
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least one sample is needed.");
        if (features.Length < rows * d) throw new ArgumentException($"features holds {features.Length} values, {rows} rows need {rows * d}.", nameof(features));
        if (result.Length < rows) throw new ArgumentException($"result holds {result.Length} values, {rows} needed.", nameof(result));
        using var mode = inference_mode();
        using var generator = new Generator(seed, Device);
        for (int start = 0; start < rows; start += ChunkRows)
        {
            int n = Math.Min(ChunkRows, rows - start);
            using var scope = NewDisposeScope();
            var x = Standardise(features.Slice(start * d, n * d), n);
            var weights = new List<Tensor>(samples);
            for (int s = 0; s < samples; s++) weights.Add(_network.ImportanceLogWeights(x, generator).view(n, -1));
            var bound = cat(weights, 1).logsumexp(1).Minus(Math.Log(samples));
            CopyOut(bound, result.Slice(start, n));
        }
    }

    /// <summary>Frees the native weights.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the scaling tensors and the network.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        _scaling.Dispose();
        Module.Dispose();
    }

    /// <summary>Raw rows → standardised tensor on the device.</summary>
    protected Tensor Standardise(ReadOnlySpan<float> raw, int rows) => _scaling.Standardise(raw, rows);

    /// <summary>Copies a tensor's values into a span.</summary>
    protected static void CopyOut(Tensor source, Span<float> destination) => InputScaling.CopyOut(source, destination);
}
