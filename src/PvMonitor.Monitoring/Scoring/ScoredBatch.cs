using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Monitoring.Scoring;

/// <summary>
/// One micro-batch as the scorer returns it: a <see cref="ConditionRecord"/> per row (night rows as <c>night</c>, unscored), or
/// none for the rows of a batch the model failed on (<see cref="Error"/>). Reused batch after batch: its buffers are sized once
/// (rows × features / classes), so scoring allocates nothing per row; a row's record points into them until the next call.
/// </summary>
public sealed class ScoredBatch
{
    private readonly TelemetrySample[] _modelInput;
    private readonly int[] _modelRow;
    private readonly ConditionRecord[] _conditions;
    private readonly int _features;
    private readonly int _classes;

    /// <summary>Buffers for up to <paramref name="capacity"/> rows of a model with <paramref name="features"/> inputs and <paramref name="classes"/> classes.</summary>
    public ScoredBatch(int capacity, int features, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _features = features;
        _classes = classes;
        _modelInput = new TelemetrySample[capacity];
        _modelRow = new int[capacity];
        _conditions = new ConditionRecord[capacity];
        FeatureScratch = new float[capacity * features];
        Probabilities = new float[capacity * classes];
        ProbabilitiesWide = new double[capacity * classes];
        Elbo = new float[capacity];
        AnomalyValues = new float[capacity];
        ReconstructionZ = new float[capacity * features];
    }

    /// <summary>Rows in the last scored batch (night rows included).</summary>
    public int Count { get; private set; }

    /// <summary>Rows the model scored (not night).</summary>
    public int ScoredCount { get; private set; }

    /// <summary>Why the model failed on the last batch (its scored rows then have no condition); null when it did not.</summary>
    public Exception? Error { get; private set; }

    /// <summary>The condition of <paramref name="row"/>; false when the model failed on it.</summary>
    public bool TryGetCondition(int row, out ConditionRecord condition)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Count, nameof(row));
        condition = _conditions[row];
        return _modelRow[row] < 0 || Error is null;
    }

    /// <summary>The class posterior of <paramref name="row"/> (model order); empty for a night row.</summary>
    public ReadOnlySpan<float> ClassProbabilities(int row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Count, nameof(row));
        var r = _modelRow[row];
        return r < 0 ? [] : Probabilities.AsSpan(r * _classes, _classes);
    }

    internal float[] FeatureScratch { get; }

    internal float[] Probabilities { get; }

    internal double[] ProbabilitiesWide { get; }

    internal float[] Elbo { get; }

    /// <summary>Per scored row: the selected anomaly score when it is not the ELBO (nats).</summary>
    internal float[] AnomalyValues { get; }

    internal float[] ReconstructionZ { get; }

    internal int Features => _features;

    internal int Classes => _classes;

    /// <summary>Starts a batch of <paramref name="samples"/>: night rows are set aside, the others compacted as the model's input.</summary>
    internal ReadOnlySpan<TelemetrySample> Begin(ReadOnlySpan<TelemetrySample> samples, ReadOnlySpan<bool> night)
    {
        if (samples.Length > _conditions.Length) throw new ArgumentException($"A batch of {samples.Length} rows exceeds the {_conditions.Length} this buffer holds.", nameof(samples));
        Count = samples.Length;
        Error = null;
        var scored = 0;
        for (var i = 0; i < samples.Length; i++)
        {
            if (night[i])
            {
                _modelRow[i] = -1;
                continue;
            }

            _modelInput[scored] = samples[i];
            _modelRow[i] = scored++;
        }

        ScoredCount = scored;
        return _modelInput.AsSpan(0, scored);
    }

    internal void Fail(Exception error) => Error = error;

    /// <summary>The model's row for <paramref name="row"/>, or −1 for a night row.</summary>
    internal int ModelRow(int row) => _modelRow[row];

    internal void Set(int row, in ConditionRecord condition) => _conditions[row] = condition;
}
