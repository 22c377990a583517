namespace PvMonitor.Domain.Conditions;

/// <summary>
/// The condition classes PvMonitor knows by name. <see cref="Paper"/> holds the ten classes of Table II in
/// Maaløe et al. (2018), in the table's order, with their sample shares; operators can add more at run time.
/// </summary>
public sealed class ConditionCatalog
{
    /// <summary>The ten conditions of Table II, in the paper's order (this order matters for the Fig. 8 experiment).</summary>
    public static IReadOnlyList<ConditionDefinition> Paper { get; } =
    [
        new("PS7", "Uniform shading on all lower cells of the modules", ConditionKind.Fault, 0.1068),
        new("RS4", "50 % increase in string series resistance", ConditionKind.Fault, 0.1008),
        new("PS50", "Partial shading on 50 % of a submodule", ConditionKind.Fault, 0.1083),
        new("RS8", "100 % increase in string series resistance", ConditionKind.Fault, 0.0511),
        new("PSRS", "50 % shading on a submodule combined with 50 % increase in string series resistance", ConditionKind.Fault, 0.1093),
        new("PS75", "Shading on 50 % of a submodule and 25 % of another submodule", ConditionKind.Fault, 0.1060),
        new("C", "Cloudy sky day (normal operation)", ConditionKind.Normal, 0.0460),
        new("S", "Snow on the modules", ConditionKind.Environmental, 0.2764),
        new("N", "Clear sky day (normal operation)", ConditionKind.Normal, 0.0467),
        new("IV", "Shading on 3/4 of the cell area of 6 submodules", ConditionKind.Fault, 0.0478),
    ];

    // Copy-on-write: Add (rare, e.g. an operator defines a condition) replaces both snapshots under a lock, so lookups from
    // other threads (the alert engine, per sample) read a consistent snapshot without locking.
    private readonly object _writeGate = new();
    private List<ConditionDefinition> _all;
    private Dictionary<string, ConditionDefinition> _byCode;

    /// <summary>Creates a catalog holding the paper's ten conditions and any <paramref name="extra"/> ones.</summary>
    /// <exception cref="ArgumentException">A code is empty, contains characters other than letters, digits, '_' or '-', or is defined twice.</exception>
    public ConditionCatalog(IEnumerable<ConditionDefinition>? extra = null)
    {
        _all = [];
        _byCode = new Dictionary<string, ConditionDefinition>(StringComparer.Ordinal);
        foreach (var c in Paper) Add(c);
        if (extra is not null)
            foreach (var c in extra) Add(c);
    }

    /// <summary>All conditions, paper ones first.</summary>
    public IReadOnlyList<ConditionDefinition> All => Volatile.Read(ref _all);

    /// <summary>Adds a condition (e.g. one an operator defined while relabelling). Thread-safe.</summary>
    /// <exception cref="ArgumentException">The code is invalid or already defined.</exception>
    public void Add(ConditionDefinition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (!IsValidCode(condition.Code))
            throw new ArgumentException($"Condition code '{condition.Code}' is invalid: use 1–32 letters, digits, '_' or '-'.", nameof(condition));
        lock (_writeGate)
        {
            var byCode = new Dictionary<string, ConditionDefinition>(_byCode, StringComparer.Ordinal);
            if (!byCode.TryAdd(condition.Code, condition))
                throw new ArgumentException($"Condition code '{condition.Code}' is already defined.", nameof(condition));
            var all = new List<ConditionDefinition>(_all) { condition };
            Volatile.Write(ref _byCode, byCode);
            Volatile.Write(ref _all, all);
        }
    }

    /// <summary>Looks a condition up by its code.</summary>
    public bool TryGet(string code, out ConditionDefinition condition)
    {
        if (Volatile.Read(ref _byCode).TryGetValue(code, out var found))
        {
            condition = found;
            return true;
        }

        condition = null!;
        return false;
    }

    /// <summary>True for 1–32 characters of letters, digits, '_' or '-'.</summary>
    public static bool IsValidCode(string? code)
    {
        if (string.IsNullOrEmpty(code) || code.Length > 32) return false;
        foreach (var ch in code)
            if (!(char.IsAsciiLetterOrDigit(ch) || ch == '_' || ch == '-')) return false;
        return true;
    }
}
