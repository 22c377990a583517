using System.Text.Json;
using System.Text.Json.Serialization;
using PvMonitor.Domain.Conditions;

namespace PvMonitor.Simulation.Conditions;

/// <summary>
/// The physical definitions the simulator knows: the paper's ten (Table II, in order) and a few more for the anomaly and
/// retraining flows (SOIL, BYPASS, DEGR, OPEN). More can be read from JSON; a definition with an existing code replaces it.
/// </summary>
public sealed class ConditionLibrary
{
    /// <summary>Default string position of the module that carries the single-submodule shading of PS50, PSRS and PS75.</summary>
    public const int ShadedModule = 3;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly List<ConditionPhysics> _all;
    private readonly Dictionary<string, ConditionPhysics> _byCode;

    /// <summary>Creates a library from definitions (later ones with the same code replace earlier ones).</summary>
    public ConditionLibrary(IEnumerable<ConditionPhysics> conditions)
    {
        _all = [];
        _byCode = new Dictionary<string, ConditionPhysics>(StringComparer.Ordinal);
        foreach (var c in conditions) Set(c);
    }

    /// <summary>The paper's ten conditions, physically defined, in Table II's order.</summary>
    public static IReadOnlyList<ConditionPhysics> Paper { get; } = PaperConditions.Create();

    /// <summary>Conditions beyond the paper, for showing anomaly detection and retraining on classes the model never saw.</summary>
    public static IReadOnlyList<ConditionPhysics> Extra { get; } = ExtraConditions.Create();

    /// <summary>A new library with <see cref="Paper"/> and <see cref="Extra"/>.</summary>
    public static ConditionLibrary CreateDefault() => new(Paper.Concat(Extra));

    /// <summary>All definitions, paper ones first.</summary>
    public IReadOnlyList<ConditionPhysics> All => _all;

    /// <summary>Adds or replaces a definition.</summary>
    /// <exception cref="ArgumentException">The definition is invalid.</exception>
    public void Set(ConditionPhysics condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        condition.Validate();
        if (_byCode.TryGetValue(condition.Code, out var old))
            _all[_all.IndexOf(old)] = condition;
        else
            _all.Add(condition);
        _byCode[condition.Code] = condition;
    }

    /// <summary>Looks a definition up by code (case-sensitive).</summary>
    public bool TryGet(string code, out ConditionPhysics condition)
    {
        if (_byCode.TryGetValue(code, out var c))
        {
            condition = c;
            return true;
        }

        condition = null!;
        return false;
    }

    /// <summary>Looks a definition up by code.</summary>
    /// <exception cref="ArgumentException">No such code.</exception>
    public ConditionPhysics Get(string code) =>
        _byCode.TryGetValue(code, out var c)
            ? c
            : throw new ArgumentException($"Unknown condition '{code}'. Known: {string.Join(", ", _all.Select(x => x.Code))}.", nameof(code));

    /// <summary>The domain catalog for these definitions (paper ones plus every other code).</summary>
    public ConditionCatalog ToCatalog()
    {
        var paper = ConditionCatalog.Paper.Select(p => p.Code).ToHashSet(StringComparer.Ordinal);
        return new ConditionCatalog(_all.Where(c => !paper.Contains(c.Code)).Select(c => c.ToDefinition()));
    }

    /// <summary>Reads definitions from JSON: an array of condition objects, or <c>{"conditions": [...]}</c>. Property names are case-insensitive.</summary>
    /// <exception cref="ArgumentException">The JSON is malformed or a definition is invalid.</exception>
    public static IReadOnlyList<ConditionPhysics> ParseJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (!root.TryGetProperty("conditions", out var inner) && !root.TryGetProperty("Conditions", out inner))
                    throw new ArgumentException("Condition JSON must be an array or an object with a \"conditions\" array.");
                root = inner;
            }

            var list = root.Deserialize<List<ConditionPhysics>>(Json) ?? [];
            foreach (var c in list) c.Validate();
            return list;
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Condition JSON is malformed: {e.Message}", nameof(json), e);
        }
    }

    /// <summary>Writes definitions as JSON (the format <see cref="ParseJson"/> reads).</summary>
    public static string ToJson(IEnumerable<ConditionPhysics> conditions) => JsonSerializer.Serialize(conditions.ToList(), Json);
}
