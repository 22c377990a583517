using System.Globalization;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Monitoring.Operations.Drift;

/// <summary>
/// Tracks, per string, the ELBOs and anomaly flags of its last <see cref="DriftOptions.Window"/> scored samples and reports
/// when they move away from the model's training distribution (<see cref="DriftReference"/>): more than
/// <see cref="DriftOptions.MaxFlaggedRate"/> of the window flagged anomalous, or the window's median ELBO below the 1st
/// percentile of the training ELBOs (half of the recent samples look less likely than the worst 1 % the model was trained
/// on). A report is a suggestion to label and retrain, not an action. Memory: one float and one flag per window slot per
/// string. <see cref="Observe"/> is called by the scoring stage once per batch; <see cref="Report"/> from any thread.
/// </summary>
public sealed class DriftMonitor
{
    private readonly DriftOptions _options;
    private readonly Dictionary<StringKey, Window> _windows = [];
    private readonly Lock _gate = new();
    private DriftReference? _reference;

    /// <summary>Creates the monitor for the model of <paramref name="reference"/> (null: a model without an ELBO, nothing is tracked).</summary>
    public DriftMonitor(DriftOptions options, DriftReference? reference)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(options));
        _options = options;
        _reference = reference;
    }

    /// <summary>The model the windows are compared with, or null when it has no ELBO.</summary>
    public DriftReference? Reference
    {
        get
        {
            lock (_gate) return _reference;
        }
    }

    /// <summary>The window size and the thresholds.</summary>
    public DriftOptions Options => _options;

    /// <summary>Starts over for another model (its ELBOs are on another scale): every window is emptied.</summary>
    public void Reset(DriftReference? reference)
    {
        lock (_gate)
        {
            _reference = reference;
            _windows.Clear();
        }
    }

    /// <summary>Adds a batch's scored records under one lock; night samples, samples without an ELBO and records of another model are ignored.</summary>
    public void Observe(IReadOnlyList<ConditionRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_gate)
        {
            if (_reference is null) return;
            for (var i = 0; i < records.Count; i++)
            {
                var record = records[i];
                if (record.Night || !double.IsFinite(record.Elbo) || !string.Equals(record.ModelVersion, _reference.ModelVersion, StringComparison.Ordinal)) continue;
                if (!_windows.TryGetValue(record.Key, out var window)) _windows[record.Key] = window = new Window(_options.Window);
                window.Add((float)record.Elbo, record.Anomaly);
            }
        }
    }

    /// <summary>Every string's window, drifting ones first, then by key.</summary>
    public IReadOnlyList<StringDrift> Report()
    {
        List<(StringKey Key, float[] Elbo, int Flagged)> copies;
        DriftReference? reference;
        lock (_gate)
        {
            reference = _reference;
            copies = _windows.Select(w => (w.Key, w.Value.Values(), w.Value.Flagged)).ToList();
        }

        if (reference is null) return [];
        var result = new List<StringDrift>(copies.Count);
        foreach (var (key, elbo, flagged) in copies)
        {
            var median = elbo.Length == 0 ? double.NaN : RankStatistics.Percentile(elbo, 50);
            var rate = elbo.Length == 0 ? 0 : flagged / (double)elbo.Length;
            string? reason = null;
            if (elbo.Length >= _options.MinSamples)
            {
                if (rate > _options.MaxFlaggedRate)
                    reason = Fmt($"{rate:P1} of the last {elbo.Length} samples flagged anomalous (training: {reference.ExpectedFlaggedRate:P1}, limit {_options.MaxFlaggedRate:P1})");
                else if (median < reference.TrainingP01)
                    reason = Fmt($"median ELBO {median:F2} nats below the training 1st percentile {reference.TrainingP01:F2} (training median {reference.TrainingMedian:F2})");
            }

            result.Add(new StringDrift(key, elbo.Length, median, rate, reason is not null, reason));
        }

        return result.OrderByDescending(d => d.Drifting).ThenBy(d => d.Key.ToString(), StringComparer.Ordinal).ToList();
    }

    private static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A ring of the last N ELBOs and flags.</summary>
    private sealed class Window(int size)
    {
        private readonly float[] _elbo = new float[size];
        private readonly bool[] _flag = new bool[size];
        private int _next;
        private int _count;

        public int Flagged { get; private set; }

        public void Add(float elbo, bool flagged)
        {
            if (_count == _elbo.Length && _flag[_next]) Flagged--;
            _elbo[_next] = elbo;
            _flag[_next] = flagged;
            if (flagged) Flagged++;
            _next = (_next + 1) % _elbo.Length;
            if (_count < _elbo.Length) _count++;
        }

        public float[] Values() => _elbo.AsSpan(0, _count).ToArray();
    }
}
