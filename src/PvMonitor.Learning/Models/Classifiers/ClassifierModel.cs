using System.Collections.Concurrent;
using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Nn;

namespace PvMonitor.Learning.Models.Classifiers;

/// <summary>A trained MLP or MLR baseline: class probabilities only (no ELBO, so no anomaly score).</summary>
public sealed class ClassifierModel : IConditionModel
{
    private readonly ConcurrentBag<Graph> _graphs = [];
    private readonly int _classes;

    /// <summary>Wraps a trained network (put into evaluation mode).</summary>
    public ClassifierModel(Sequential network, Standardizer standardizer, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(standardizer);
        ArgumentNullException.ThrowIfNull(manifest);
        Network = network;
        Standardizer = standardizer;
        Manifest = manifest;
        _classes = manifest.Classes.Count;
        network.Eval();
    }

    /// <summary>The network.</summary>
    public Sequential Network { get; }

    /// <summary>The input standardisation.</summary>
    public Standardizer Standardizer { get; }

    /// <inheritdoc />
    public ModelManifest Manifest { get; }

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
        if (!_graphs.TryTake(out var g)) g = new Graph(gradients: false);
        try
        {
            var standardised = new float[Math.Min(rows, 4096) * d];
            for (int start = 0; start < rows; start += 4096)
            {
                int n = Math.Min(4096, rows - start);
                var buffer = standardised.AsSpan(0, n * d);
                Standardizer.Transform(features.Slice(start * d, n * d), buffer);
                g.Reset();
                var probs = g.Softmax(Network.Forward(g, g.Input(buffer, n, d)));
                probs.Span.CopyTo(probabilities.Slice(start * _classes, n * _classes));
            }

            if (!elbo.IsEmpty) elbo[..rows].Fill(float.NaN);
        }
        finally
        {
            _graphs.Add(g);
        }
    }
}
