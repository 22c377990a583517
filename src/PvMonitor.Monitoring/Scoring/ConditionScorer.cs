using PvMonitor.Domain.Telemetry;
using PvMonitor.Learning.Models;

namespace PvMonitor.Monitoring.Scoring;

/// <summary>
/// Scores micro-batches of telemetry with the active <see cref="IConditionModel"/>: class posterior, most probable class and
/// its confidence, ELBO (nats), anomaly flag (ELBO below the model's threshold) and per-feature reconstruction z-scores.
/// Thread-safe (the model is; buffers belong to the caller).
/// </summary>
public sealed class ConditionScorer
{
    private readonly int[] _fieldOfFeature;

    /// <summary>Wraps <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The model needs a feature that telemetry does not carry.</exception>
    public ConditionScorer(IConditionModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Features = model.Features;
        Classes = model.Classes;
        _fieldOfFeature = new int[Features.Count];
        for (var f = 0; f < Features.Count; f++)
        {
            _fieldOfFeature[f] = Features[f] switch
            {
                "I" => 0,
                "V" => 1,
                "G" => 2,
                "TExt" => 3,
                "TMod" => 4,
                "W" => 5,
                var other => throw new ArgumentException($"Model feature '{other}' is not a telemetry field (I, V, G, TExt, TMod, W).", nameof(model)),
            };
        }

        Threshold = model.HasElbo && model.Manifest.Threshold is { } t ? t.Elbo : double.NaN;
    }

    /// <summary>The model.</summary>
    public IConditionModel Model { get; }

    /// <summary>The model's version (tag <c>model_version</c>).</summary>
    public string ModelVersion => Model.Manifest.Version;

    /// <summary>Input features in model order.</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>Class codes by output index.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Whether scores carry an ELBO and z-scores (SDGM).</summary>
    public bool HasElbo => Model.HasElbo;

    /// <summary>Anomaly threshold on the ELBO, nats (a sample below it is an anomaly); NaN when the model has none.</summary>
    public double Threshold { get; }

    /// <summary>True when <paramref name="elbo"/> (nats) is below the threshold.</summary>
    public bool IsAnomaly(double elbo) => !double.IsNaN(Threshold) && !double.IsNaN(elbo) && elbo < Threshold;

    /// <summary>
    /// Scores <paramref name="samples"/>. <paramref name="features"/> is scratch (≥ rows × features);
    /// <paramref name="probabilities"/> receives rows × classes, <paramref name="elbo"/> rows (NaN without an ELBO),
    /// <paramref name="reconstructionZ"/> rows × features (zeros without an ELBO).
    /// </summary>
    public void Score(ReadOnlySpan<TelemetrySample> samples, Span<float> features, Span<float> probabilities, Span<float> elbo, Span<float> reconstructionZ)
    {
        var rows = samples.Length;
        if (rows == 0) return;
        var d = _fieldOfFeature.Length;
        for (var r = 0; r < rows; r++)
        {
            ref readonly var s = ref samples[r];
            var row = features.Slice(r * d, d);
            for (var f = 0; f < d; f++)
            {
                row[f] = (float)(_fieldOfFeature[f] switch
                {
                    0 => s.I,
                    1 => s.V,
                    2 => s.G,
                    3 => s.TExt,
                    4 => s.TMod,
                    _ => s.W,
                });
            }
        }

        if (HasElbo)
        {
            Model.Score(features[..(rows * d)], rows, probabilities, elbo[..rows], reconstructionZ[..(rows * d)]);
        }
        else
        {
            Model.Score(features[..(rows * d)], rows, probabilities, [], []);
            elbo[..rows].Fill(float.NaN);
            reconstructionZ[..(rows * d)].Clear();
        }
    }

    /// <summary>Index and value of the largest probability in <paramref name="row"/>.</summary>
    public static (int Index, float Value) ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var k = 1; k < row.Length; k++)
            if (row[k] > row[best]) best = k;
        return (best, row.Length == 0 ? float.NaN : row[best]);
    }
}
