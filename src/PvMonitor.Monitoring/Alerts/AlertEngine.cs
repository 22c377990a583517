using System.Globalization;
using System.Numerics;
using PvMonitor.Domain.Conditions;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Monitoring.Alerts;

/// <summary>
/// Pure, deterministic alert state machine. Feed it every scored or night sample in time order per string
/// (<see cref="Process(in ScoredSample, ICollection{AlertEvent})"/>); it returns alert events. Time is the samples' own
/// timestamps: it never reads a clock. Not thread-safe: drive it from one consumer.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Two episode families per string, the dedup key being (plant, inverter, string, family): <b>fault</b> (the sample's
/// condition is a fault in the <see cref="ConditionCatalog"/>) and <b>anomaly</b> (the sample is flagged anomalous). At most one
/// episode per key is open at a time; switching between fault conditions keeps the fault episode open.</item>
/// <item>Debounce: an episode opens when ≥ N of the last M scored samples match (<see cref="AlertsOptions.DebounceCount"/> /
/// <see cref="AlertsOptions.DebounceWindow"/>). Its <c>from</c> is the first matching sample in that window; a fault event's
/// condition is the most frequent fault condition in the window (ties: the latest).</item>
/// <item>Hysteresis: an open episode clears after K consecutive non-matching scored samples (<see cref="AlertsOptions.ClearAfter"/>);
/// <c>to</c> is the first sample of that run. The window's matches of that family are then forgotten.</item>
/// <item>Repeat: while open, a scored sample at least <see cref="AlertsOptions.RepeatInterval"/> after the last send re-sends the
/// opening kind with the repeat flag and the latest fault condition.</item>
/// <item>Night samples neither open, close nor repeat episodes, and do not enter the debounce window.</item>
/// <item>A sample not newer than the string's previous one (a redelivered or out-of-order copy) is ignored and counted in
/// <see cref="IgnoredSamples"/>.</item>
/// <item>Grouping: events of one inverter with the same kind, repeat flag and condition within <see cref="AlertsOptions.GroupWindow"/>
/// are held and merged; they are released once a later sample (of any string) passes the window, or by
/// <see cref="Advance"/> / <see cref="Flush"/>.</item>
/// </list>
/// </remarks>
public sealed class AlertEngine
{
    private readonly AlertsOptions _options;
    private readonly ConditionCatalog _catalog;
    private readonly Dictionary<StringKey, StringState> _states = [];
    private readonly AlertGrouper _grouper;
    private readonly string _baseUrl;
    private DateTimeOffset _watermark = DateTimeOffset.MinValue;
    private IReadOnlyList<string>? _maskFor;
    private bool[] _mask = [];

    /// <summary>Creates an engine.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="catalog">Decides which condition codes are faults (<see cref="ConditionDefinition.IsFault"/>); unknown codes are not faults.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names the keys.</exception>
    public AlertEngine(AlertsOptions options, ConditionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        options.ThrowIfInvalid();
        _options = options;
        _catalog = catalog;
        _baseUrl = options.OperatorBaseUrl.TrimEnd('/');
        _grouper = new AlertGrouper(options.GroupWindow, BuildLink);
    }

    /// <summary>
    /// The posterior probability of the fault classes among <paramref name="classes"/> (per <see cref="ConditionDefinition.IsFault"/>;
    /// unknown codes are not faults), summed from <paramref name="probabilities"/> aligned with them. The fault mask is cached
    /// per class list instance, so pass the model's list, not a copy per sample.
    /// </summary>
    public double FaultProbability(IReadOnlyList<string> classes, ReadOnlySpan<float> probabilities)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (!ReferenceEquals(classes, _maskFor))
        {
            var mask = new bool[classes.Count];
            for (var c = 0; c < mask.Length; c++)
                mask[c] = _catalog.TryGet(classes[c], out var def) && def.IsFault;
            _mask = mask;
            _maskFor = classes;
        }

        var sum = 0.0;
        for (var c = 0; c < _mask.Length && c < probabilities.Length; c++)
            if (_mask[c]) sum += probabilities[c];
        return Math.Min(1.0, sum);
    }

    /// <summary>Samples ignored because they were not newer than the string's previous sample.</summary>
    public long IgnoredSamples { get; private set; }

    /// <summary>Strings with state.</summary>
    public int TrackedStrings => _states.Count;

    /// <summary>Groups of events waiting for their group window to pass.</summary>
    public int PendingGroups => _grouper.PendingGroups;

    /// <summary>Largest sample time seen (the engine's clock).</summary>
    public DateTimeOffset Watermark => _watermark;

    /// <summary>Processes one sample and returns the events it released (often none).</summary>
    public IReadOnlyList<AlertEvent> Process(in ScoredSample sample)
    {
        var output = new List<AlertEvent>();
        Process(sample, output);
        return output;
    }

    /// <summary>
    /// Processes one stored classification (a night row counts as night), with the class posterior it was taken from (for the
    /// fault probability), appending released events to <paramref name="output"/>.
    /// </summary>
    public void Process(in ConditionRecord condition, ReadOnlySpan<float> probabilities, ICollection<AlertEvent> output)
    {
        var sample = condition.Night
            ? new ScoredSample(condition.Key, condition.Time, null, double.NaN, double.NaN, false, true, condition.ModelVersion)
            : new ScoredSample(condition.Key, condition.Time, condition.Condition, condition.Confidence, condition.Elbo, condition.Anomaly, false, condition.ModelVersion)
            {
                FaultProbability = FaultProbability(condition.ClassCodes, probabilities),
                Features = condition.Features,
                ReconstructionZ = condition.ReconstructionZ,
            };
        Process(sample, output);
    }

    /// <summary>Processes one sample, appending released events to <paramref name="output"/>.</summary>
    public void Process(in ScoredSample sample, ICollection<AlertEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (sample.Time > _watermark) _watermark = sample.Time;
        _grouper.Release(_watermark, output);

        if (!_states.TryGetValue(sample.Key, out var state))
        {
            state = new StringState(_options.DebounceWindow);
            _states.Add(sample.Key, state);
        }
        else if (sample.Time <= state.LastTime)
        {
            IgnoredSamples++;
            return;
        }

        state.LastTime = sample.Time;
        if (sample.IsNight) return;

        var faultProbability = double.IsNaN(sample.FaultProbability) ? sample.Confidence : sample.FaultProbability;
        var isFault = sample.Condition is { } code && _catalog.TryGet(code, out var def) && def.IsFault
                      && !(faultProbability < _options.MinFaultProbability); // no posterior at all (NaN): counts
        state.Push(sample.Time, sample.Condition, isFault, sample.IsAnomaly);
        Step(state, state.Fault, sample, isFault, AlertKind.FaultEntered, AlertKind.FaultCleared, output);
        Step(state, state.Anomaly, sample, sample.IsAnomaly, AlertKind.AnomalyOpened, AlertKind.AnomalyClosed, output);
    }

    /// <summary>Moves the engine clock to <paramref name="now"/> (e.g. on a timer when data stops) and releases groups whose window passed.</summary>
    public void Advance(DateTimeOffset now, ICollection<AlertEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (now > _watermark) _watermark = now;
        _grouper.Release(_watermark, output);
    }

    /// <summary>Releases every pending group now (e.g. at shutdown).</summary>
    public void Flush(ICollection<AlertEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _grouper.ReleaseAll(output);
    }

    private void Step(StringState state, Episode episode, in ScoredSample s, bool matching, AlertKind open, AlertKind close, ICollection<AlertEvent> output)
    {
        var isFaultFamily = open == AlertKind.FaultEntered;
        if (!episode.Open)
        {
            var bits = isFaultFamily ? state.FaultBits : state.AnomalyBits;
            if (BitOperations.PopCount(bits) < _options.DebounceCount) return;
            episode.Open = true;
            episode.From = state.EarliestTime(bits);
            episode.Condition = isFaultFamily ? state.MostFrequentCondition(bits) : s.Condition;
            episode.LatestCondition = episode.Condition;
            episode.LastSent = s.Time;
            episode.NonMatchRun = 0;
            Emit(s, open, false, episode.Condition, episode.From, null, output);
            return;
        }

        if (matching)
        {
            episode.NonMatchRun = 0;
            if (isFaultFamily) episode.LatestCondition = s.Condition;
        }
        else
        {
            if (episode.NonMatchRun == 0) episode.FirstNonMatch = s.Time;
            if (++episode.NonMatchRun >= _options.ClearAfter)
            {
                episode.Open = false;
                episode.NonMatchRun = 0;
                state.Forget(isFaultFamily);
                Emit(s, close, false, episode.Condition, episode.From, episode.FirstNonMatch, output);
                return;
            }
        }

        if (_options.RepeatInterval > TimeSpan.Zero && s.Time - episode.LastSent >= _options.RepeatInterval)
        {
            episode.LastSent = s.Time;
            Emit(s, open, true, isFaultFamily ? episode.LatestCondition : s.Condition, episode.From, null, output);
        }
    }

    private void Emit(in ScoredSample s, AlertKind kind, bool repeat, string? condition, DateTimeOffset from, DateTimeOffset? to, ICollection<AlertEvent> output)
    {
        string[] strings = [s.Key.String];
        var e = new AlertEvent(s.Key.Plant, s.Key.Inverter, strings, kind, repeat, condition, s.Confidence, s.Elbo,
            from, to, s.Time, s.ModelVersion, BuildLink(s.Key.Plant, s.Key.Inverter, strings, from))
        {
            Sensors = kind == AlertKind.AnomalyOpened ? SensorScore.Top(s.Features, s.ReconstructionZ.Span) : [],
        };
        _grouper.Add(e, output);
    }

    private string BuildLink(string plant, string inverter, IReadOnlyList<string> strings, DateTimeOffset from) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{_baseUrl}/?plant={Uri.EscapeDataString(plant)}&inverter={Uri.EscapeDataString(inverter)}&strings={Uri.EscapeDataString(string.Join(',', strings))}&from={Uri.EscapeDataString(from.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture))}");

    private sealed class Episode
    {
        public bool Open;
        public DateTimeOffset From;
        public string? Condition;
        public string? LatestCondition;
        public DateTimeOffset LastSent;
        public int NonMatchRun;
        public DateTimeOffset FirstNonMatch;
    }

    private sealed class StringState(int window)
    {
        private readonly DateTimeOffset[] _times = new DateTimeOffset[window];
        private readonly string?[] _conditions = new string?[window];
        private int _next;

        public DateTimeOffset LastTime = DateTimeOffset.MinValue;
        public ulong FaultBits;
        public ulong AnomalyBits;
        public readonly Episode Fault = new();
        public readonly Episode Anomaly = new();

        public void Push(DateTimeOffset time, string? condition, bool fault, bool anomaly)
        {
            var slot = _next;
            _next = (_next + 1) % _times.Length;
            _times[slot] = time;
            _conditions[slot] = condition;
            var bit = 1UL << slot;
            FaultBits = fault ? FaultBits | bit : FaultBits & ~bit;
            AnomalyBits = anomaly ? AnomalyBits | bit : AnomalyBits & ~bit;
        }

        public void Forget(bool fault)
        {
            if (fault) FaultBits = 0;
            else AnomalyBits = 0;
        }

        public DateTimeOffset EarliestTime(ulong bits)
        {
            var earliest = DateTimeOffset.MaxValue;
            for (var k = 0; k < _times.Length; k++)
                if ((bits & (1UL << k)) != 0 && _times[k] < earliest) earliest = _times[k];
            return earliest;
        }

        public string? MostFrequentCondition(ulong bits)
        {
            string? best = null;
            int bestCount = 0;
            var bestTime = DateTimeOffset.MinValue;
            for (var k = 0; k < _times.Length; k++)
            {
                if ((bits & (1UL << k)) == 0) continue;
                var count = 0;
                var latest = DateTimeOffset.MinValue;
                for (var j = 0; j < _times.Length; j++)
                {
                    if ((bits & (1UL << j)) == 0 || !string.Equals(_conditions[j], _conditions[k], StringComparison.Ordinal)) continue;
                    count++;
                    if (_times[j] > latest) latest = _times[j];
                }

                if (count > bestCount || (count == bestCount && latest > bestTime))
                    (best, bestCount, bestTime) = (_conditions[k], count, latest);
            }

            return best;
        }
    }
}
