using System.Collections.Concurrent;
using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Models.Sdgm;

/// <summary>A trained SDGM with its normalisation: classifies with q(y|z1,x) and scores anomalies with the ELBO U(x).</summary>
public sealed class SdgmModel : IConditionModel
{
    /// <summary>Rows scored per graph pass (each is expanded to K rows inside).</summary>
    public const int ChunkRows = 512;

    private readonly ConcurrentBag<ScoringContext> _contexts = [];

    /// <summary>Wraps a trained network.</summary>
    public SdgmModel(SdgmNetwork network, Standardizer standardizer, ModelManifest manifest, int elboSamples = 1)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(standardizer);
        ArgumentNullException.ThrowIfNull(manifest);
        if (standardizer.Count != network.Features) throw new ArgumentException($"The standardiser has {standardizer.Count} features, the network {network.Features}.", nameof(standardizer));
        if (manifest.Classes.Count != network.Classes) throw new ArgumentException($"The manifest lists {manifest.Classes.Count} classes, the network has {network.Classes}.", nameof(manifest));
        if (elboSamples < 1) throw new ArgumentOutOfRangeException(nameof(elboSamples), elboSamples, "At least one sample is needed.");
        Network = network;
        Standardizer = standardizer;
        Manifest = manifest;
        ElboSamples = elboSamples;
        network.Eval();
    }

    /// <summary>The network (in evaluation mode).</summary>
    public SdgmNetwork Network { get; }

    /// <summary>The input standardisation.</summary>
    public Standardizer Standardizer { get; }

    /// <inheritdoc />
    public ModelManifest Manifest { get; }

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
        int d = Network.Features, k = Network.Classes;
        ScoreArguments.Check(features, rows, d, k, probabilities, elbo, reconstructionZ);
        if (!_contexts.TryTake(out var ctx)) ctx = new ScoringContext();
        try
        {
            // Same input batch → same noise → same scores.
            var random = new RandomSource(unchecked((ulong)Manifest.Seed * 0x9E3779B97F4A7C15UL + (ulong)rows));
            for (int start = 0; start < rows; start += ChunkRows)
            {
                int n = Math.Min(ChunkRows, rows - start);
                ScoreChunk(ctx, random, features.Slice(start * d, n * d), n,
                    probabilities.Slice(start * k, n * k),
                    elbo.IsEmpty ? elbo : elbo.Slice(start, n),
                    reconstructionZ.IsEmpty ? reconstructionZ : reconstructionZ.Slice(start * d, n * d));
            }
        }
        finally
        {
            _contexts.Add(ctx);
        }
    }

    private void ScoreChunk(ScoringContext ctx, RandomSource random, ReadOnlySpan<float> raw, int n, Span<float> probabilities, Span<float> elbo, Span<float> reconZ)
    {
        int d = Network.Features, k = Network.Classes;
        var g = ctx.Graph;
        g.Reset();
        var standardised = ctx.Buffer(n * d);
        Standardizer.Transform(raw, standardised);
        var x = g.Input(standardised, n, d);
        var qz1 = Network.EncodeZ1(g, x); // shared by the classification (at the mean) and the ELBO samples
        var probs = g.Softmax(Network.ClassLogits(g, x, qz1.Mean));
        probs.Span.CopyTo(probabilities);
        if (elbo.IsEmpty && reconZ.IsEmpty) return;

        if (!elbo.IsEmpty) elbo.Clear();
        if (!reconZ.IsEmpty) reconZ.Clear();
        for (int s = 0; s < ElboSamples; s++)
        {
            var parts = Network.UnlabeledParts(g, x, qz1, 1f, random);
            if (!elbo.IsEmpty)
            {
                var bound = parts.Bound.Span;
                for (int i = 0; i < n; i++) elbo[i] += bound[i] / ElboSamples;
            }

            if (!reconZ.IsEmpty)
            {
                var mean = parts.DecoderMean.Span;
                var logVar = parts.DecoderLogVar.Span;
                var p = probs.Span;
                for (int i = 0; i < n; i++)
                    for (int c = 0; c < k; c++)
                    {
                        float w = p[i * k + c] / ElboSamples;
                        int row = (i * k + c) * d;
                        for (int j = 0; j < d; j++)
                            reconZ[i * d + j] += w * (standardised[i * d + j] - mean[row + j]) * MathF.Exp(-0.5f * logVar[row + j]);
                    }
            }
        }
    }

    /// <summary>The mean of q(z1|x) for each row of raw features (rows × <see cref="SdgmOptions.Z1"/>, row-major).</summary>
    public float[] LatentMeans(ReadOnlySpan<float> features, int rows)
    {
        int d = Network.Features, z = Network.Options.Z1;
        if (features.Length < rows * d) throw new ArgumentException($"features holds {features.Length} values, {rows} rows need {rows * d}.", nameof(features));
        var result = new float[rows * z];
        var ctx = new ScoringContext();
        for (int start = 0; start < rows; start += ChunkRows)
        {
            int n = Math.Min(ChunkRows, rows - start);
            var standardised = ctx.Buffer(n * d);
            Standardizer.Transform(features.Slice(start * d, n * d), standardised);
            ctx.Graph.Reset();
            Network.LatentMean(ctx.Graph, ctx.Graph.Input(standardised, n, d)).Span.CopyTo(result.AsSpan(start * z, n * z));
        }

        return result;
    }

    /// <summary>
    /// The importance-weighted bound log p(x) ≥ E[log (1/S) Σ_s Σ_y p(x,y,z1_s,z2_sy) / (q(z1_s|x) q(z2_sy|z1_s,y,x))] in nats,
    /// with <paramref name="samples"/> = S samples per row (IW = S). Tighter than U(x); used by evaluation.
    /// </summary>
    public void ImportanceWeightedElbo(ReadOnlySpan<float> features, int rows, int samples, Span<float> result, ulong seed = 1)
    {
        int d = Network.Features, k = Network.Classes;
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least one sample is needed.");
        if (features.Length < rows * d) throw new ArgumentException($"features holds {features.Length} values, {rows} rows need {rows * d}.", nameof(features));
        if (result.Length < rows) throw new ArgumentException($"result holds {result.Length} values, {rows} needed.", nameof(result));
        var ctx = new ScoringContext();
        var random = new RandomSource(seed);
        var logW = new float[ChunkRows * k * samples];
        for (int start = 0; start < rows; start += ChunkRows)
        {
            int n = Math.Min(ChunkRows, rows - start);
            var g = ctx.Graph;
            var standardised = ctx.Buffer(n * d);
            Standardizer.Transform(features.Slice(start * d, n * d), standardised);
            for (int s = 0; s < samples; s++)
            {
                g.Reset();
                var x = g.Input(standardised, n, d);
                var w = Network.ImportanceLogWeights(g, x, random).Span;
                for (int i = 0; i < n * k; i++) logW[(i / k) * k * samples + s * k + i % k] = w[i];
            }

            for (int i = 0; i < n; i++)
            {
                var row = logW.AsSpan(i * k * samples, k * samples);
                float max = float.NegativeInfinity;
                foreach (var v in row) max = MathF.Max(max, v);
                double sum = 0;
                foreach (var v in row) sum += Math.Exp(v - max);
                result[start + i] = (float)(max + Math.Log(sum) - Math.Log(samples));
            }
        }
    }

    private sealed class ScoringContext
    {
        private float[] _buffer = [];

        public Graph Graph { get; } = new(gradients: false);

        public Span<float> Buffer(int length)
        {
            if (_buffer.Length < length) _buffer = new float[Math.Max(length, 1024)];
            return _buffer.AsSpan(0, length);
        }
    }
}
