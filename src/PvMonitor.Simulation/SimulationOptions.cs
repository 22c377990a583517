using PvMonitor.Simulation.Conditions;
using PvMonitor.Simulation.Physics;
using PvMonitor.Simulation.Sensors;
using PvMonitor.Simulation.Weather;

namespace PvMonitor.Simulation;

/// <summary>What <c>pvmonitor simulate</c> asks for. Every default is documented; <see cref="Validate"/> checks the values.</summary>
public sealed record SimulationOptions
{
    /// <summary>The keyword for Table II's ten conditions in the paper's proportions.</summary>
    public const string PaperConditions = "paper";

    /// <summary>Days to simulate. Default 60.</summary>
    public int Days { get; init; } = 60;

    /// <summary>Seed of every random draw (weather, schedule, noise, dropouts). Same seed, same output. Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Plant name (CSV column <c>plant</c>). Default "dk-aalborg".</summary>
    public string Plant { get; init; } = "dk-aalborg";

    /// <summary>Number of strings. Default 1.</summary>
    public int Strings { get; init; } = 1;

    /// <summary>Strings per inverter (strings are named INV01/S1, INV01/S2, INV02/S1, …). Default 2, like the paper's inverter.</summary>
    public int StringsPerInverter { get; init; } = 2;

    /// <summary>
    /// "paper" (Table II's ten conditions in its proportions, recorded in windows of ≈250 minutes a day so 60 days give ≈15,000 rows),
    /// or a comma list of condition codes (equal shares, whole daylight recorded). Default "paper".
    /// </summary>
    public string Conditions { get; init; } = PaperConditions;

    /// <summary>First day (UTC). Default 2026-02-01: late winter, when the paper's campaign met snow.</summary>
    public DateOnly Start { get; init; } = new(2026, 2, 1);

    /// <summary>Write every minute, night and unrecorded minutes included (their label is empty). Default false: daylight recorded rows only.</summary>
    public bool IncludeNight { get; init; }

    /// <summary>Recorded minutes per day on average; null = 250 for "paper" and all daylight for a list of codes.</summary>
    public double? RecordedRowsPerDay { get; init; }

    /// <summary>Condition definitions beyond the built-in ones (e.g. from JSON via <see cref="ConditionLibrary.ParseJson"/>); same code replaces.</summary>
    public IReadOnlyList<ConditionPhysics> ExtraConditions { get; init; } = [];

    /// <summary>Site and module orientation. Default: Aalborg, Denmark, 40° south.</summary>
    public SiteOptions Site { get; init; } = new();

    /// <summary>String layout. Default: 8 × 111 W multicrystalline modules.</summary>
    public StringLayout Layout { get; init; } = new();

    /// <summary>Sensor noise, quantisation and dropouts.</summary>
    public SensorOptions Sensors { get; init; } = new();

    /// <summary>MPP tracker settings.</summary>
    public MpptOptions Mppt { get; init; } = new();

    /// <summary>Upper bound on threads simulating strings in parallel; null = all processors. Output does not depend on it.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (Days is < 1 or > 3660) throw new ArgumentException("Days must be within 1–3660.");
        if (Strings is < 1 or > 100_000) throw new ArgumentException("Strings must be within 1–100000.");
        if (StringsPerInverter < 1) throw new ArgumentException("StringsPerInverter must be ≥ 1.");
        if (string.IsNullOrWhiteSpace(Plant) || Plant.IndexOfAny([',', '"', '\n', '\r', '/']) >= 0)
            throw new ArgumentException("Plant must be non-empty and contain no comma, quote, slash or line break.");
        if (RecordedRowsPerDay is <= 0 or > 1440) throw new ArgumentException("RecordedRowsPerDay must be within 1–1440.");
        if (string.IsNullOrWhiteSpace(Conditions)) throw new ArgumentException("Conditions must be 'paper' or a comma list of codes.");
        Site.Validate();
        Layout.Validate();
    }

    /// <summary>The conditions to simulate and their shares, resolved against a library.</summary>
    /// <exception cref="ArgumentException">An unknown code.</exception>
    public (IReadOnlyList<ConditionPhysics> Conditions, IReadOnlyList<double> Shares, double? RowsPerDay) Resolve(ConditionLibrary library)
    {
        if (string.Equals(Conditions.Trim(), PaperConditions, StringComparison.OrdinalIgnoreCase))
        {
            var paper = Domain.Conditions.ConditionCatalog.Paper.Select(c => library.Get(c.Code)).ToList();
            return (paper, paper.Select(c => c.PaperShare).ToList(), RecordedRowsPerDay ?? 250);
        }

        var codes = Conditions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (codes.Count == 0) throw new ArgumentException("Conditions must be 'paper' or a comma list of codes.");
        var list = codes.Select(library.Get).ToList();
        return (list, list.Select(_ => 1.0).ToList(), RecordedRowsPerDay);
    }
}
