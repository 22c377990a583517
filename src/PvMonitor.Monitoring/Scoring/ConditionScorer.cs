using PvMonitor.Domain.Telemetry;
using PvMonitor.Learning.Models;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Monitoring.Scoring;

/// <summary>
/// Scores micro-batches of telemetry with the active <see cref="IConditionModel"/>: class posterior, most probable class and
/// its confidence, ELBO (nats), anomaly flag (the selected <see cref="AnomalyScore"/> below the model's threshold for it) and
/// per-feature reconstruction z-scores. Thread-safe (the model is; buffers belong to the caller).
/// </summary>
public sealed class ConditionScorer
{
    private readonly int[] _fieldOfFeature;
    private readonly bool _scoresApart;

    /// <summary>Wraps <paramref name="model"/>, flagging anomalies with <paramref name="score"/> (default the ELBO).</summary>
    /// <exception cref="ArgumentException">The model needs a feature that telemetry does not carry, or <paramref name="score"/>
    /// is not the ELBO and the model cannot compute it or has no threshold for it.</exception>
    public ConditionScorer(IConditionModel model, AnomalyScore score = AnomalyScore.Elbo)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (score != AnomalyScore.Elbo)
        {
            PvMonitor.Learning.Evaluation.ModelEvaluator.RequireScore(model, score);
            _scoresApart = true;
        }

        AnomalyScore = score;
        Model = model;
        Features = model.Features;
        Classes = model.Classes;
        _fieldOfFeature = new int[Features.Count];
        for (var f = 0; f < Features.Count; f++)
        {
            try
            {
                _fieldOfFeature[f] = TelemetrySample.IndexOf(Features[f]);
            }
            catch (ArgumentException)
            {
                throw new ArgumentException($"Model feature '{Features[f]}' is not a telemetry field (I, V, G, TExt, TMod, W).", nameof(model));
            }
        }

        Threshold = model.HasElbo && model.Manifest.ThresholdOf(score) is { } t ? t.Value : double.NaN;
    }

    /// <summary>The score that flags anomalies (<c>Model:AnomalyScore</c>).</summary>
    public AnomalyScore AnomalyScore { get; }

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

    /// <summary>Anomaly threshold on <see cref="AnomalyScore"/>, nats (a sample below it is an anomaly); NaN when the model has none.</summary>
    public double Threshold { get; }

    /// <summary>True when <paramref name="score"/> (nats, of <see cref="AnomalyScore"/>) is below the threshold.</summary>
    public bool IsAnomaly(double score) => !double.IsNaN(Threshold) && !double.IsNaN(score) && score < Threshold;

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
            for (var f = 0; f < d; f++) row[f] = (float)s.Field(_fieldOfFeature[f]);
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

    /// <summary>
    /// Scores a micro-batch into <paramref name="into"/>: night rows become <c>night</c> records without touching the model;
    /// the others get the most probable class, its confidence, the posterior, the ELBO, the anomaly flag (from
    /// <see cref="AnomalyScore"/>, which for <c>iw-elbo</c> and <c>lk</c> costs a second pass over the batch) and (SDGM) the
    /// reconstruction z-scores. If the model throws, the error is kept in <see cref="ScoredBatch.Error"/> and those rows get no
    /// condition; night rows still do.
    /// </summary>
    /// <param name="keys">The string of each row.</param>
    /// <param name="samples">The rows.</param>
    /// <param name="night">Per row: below the night irradiance threshold (stored, not scored).</param>
    /// <param name="into">Buffers sized for this model (<see cref="CreateBatch"/>).</param>
    public void Score(ReadOnlySpan<StringKey> keys, ReadOnlySpan<TelemetrySample> samples, ReadOnlySpan<bool> night, ScoredBatch into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (keys.Length != samples.Length || night.Length != samples.Length)
            throw new ArgumentException($"keys ({keys.Length}), samples ({samples.Length}) and night ({night.Length}) must have one entry per row.");
        if (into.Features != Features.Count || into.Classes != Classes.Count)
            throw new ArgumentException($"The batch buffers are sized for {into.Features} features and {into.Classes} classes, the model has {Features.Count} and {Classes.Count}.", nameof(into));
        var input = into.Begin(samples, night);
        if (input.Length > 0)
        {
            try
            {
                Score(input, into.FeatureScratch, into.Probabilities, into.Elbo, into.ReconstructionZ);
                // Another score than the ELBO flags anomalies: computed on the same features (the ELBO is still stored).
                if (_scoresApart) AnomalyScores.Compute(Model, AnomalyScore, into.FeatureScratch.AsSpan(0, input.Length * Features.Count), input.Length, into.AnomalyValues);
            }
            catch (Exception ex)
            {
                into.Fail(ex);
            }
        }

        var k = Classes.Count;
        var d = Features.Count;
        var zFeatures = HasElbo ? Features : null; // reconstruction z-scores come with the ELBO (SDGM)
        for (var i = 0; i < samples.Length; i++)
        {
            var r = into.ModelRow(i);
            if (r < 0)
            {
                into.Set(i, ConditionRecord.ForNight(keys[i], samples[i].Time, ModelVersion));
                continue;
            }

            if (into.Error is not null) continue;
            var probabilities = into.Probabilities.AsSpan(r * k, k);
            var wide = into.ProbabilitiesWide.AsSpan(r * k, k);
            for (var c = 0; c < k; c++) wide[c] = probabilities[c];
            var (best, confidence) = ArgMax(probabilities);
            double elbo = into.Elbo[r];
            double anomalyScore = _scoresApart ? into.AnomalyValues[r] : elbo;
            into.Set(i, new ConditionRecord(keys[i], samples[i].Time, ModelVersion, Classes[best], confidence, Classes,
                into.ProbabilitiesWide.AsMemory(r * k, k), elbo, IsAnomaly(anomalyScore), false)
            {
                Features = zFeatures,
                ReconstructionZ = zFeatures is null ? ReadOnlyMemory<float>.Empty : into.ReconstructionZ.AsMemory(r * d, d),
            });
        }
    }

    /// <summary>True when <paramref name="batch"/>'s buffers are sized for this model's features and classes.</summary>
    public bool Fits(ScoredBatch batch) => batch.Features == Features.Count && batch.Classes == Classes.Count;

    /// <summary>Buffers for micro-batches of up to <paramref name="capacity"/> rows of this model.</summary>
    public ScoredBatch CreateBatch(int capacity) => new(capacity, Features.Count, Classes.Count);

    /// <summary>Index and value of the largest probability in <paramref name="row"/>.</summary>
    public static (int Index, float Value) ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var k = 1; k < row.Length; k++)
            if (row[k] > row[best]) best = k;
        return (best, row.Length == 0 ? float.NaN : row[best]);
    }
}
