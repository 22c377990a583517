using PvMonitor.Domain.Conditions;

namespace PvMonitor.Simulation.Conditions;

/// <summary>
/// The physical definition of a condition: what is done to the string (shading, extra resistance, soiling, failed bypass diodes,
/// an open circuit, degradation) and which weather it is recorded in. Plain data, so new conditions can come from JSON
/// (see ConditionLibrary).
/// </summary>
public sealed record ConditionPhysics
{
    /// <summary>Class label, e.g. <c>PS50</c>: 1–32 letters, digits, '_' or '-'.</summary>
    public required string Code { get; init; }

    /// <summary>One line for operators.</summary>
    public string Description { get; init; } = "";

    /// <summary>Normal, environmental or fault. Default fault.</summary>
    public ConditionKind Kind { get; init; } = ConditionKind.Fault;

    /// <summary>Share of samples in the paper's Table II (0 for conditions not in the paper).</summary>
    public double PaperShare { get; init; }

    /// <summary>Weather the condition is recorded in by a campaign. Default any (non-snow) day.</summary>
    public WeatherRequirement Weather { get; init; } = WeatherRequirement.Any;

    /// <summary>Covers and shadows on cells. Default none.</summary>
    public IReadOnlyList<ShadeSpec> Shading { get; init; } = [];

    /// <summary>Resistance added in series with the string, Ω. Default 0.</summary>
    public double AddedSeriesResistance { get; init; }

    /// <summary>Fraction of light lost uniformly on every cell to dirt, 0–1. Default 0.</summary>
    public double Soiling { get; init; }

    /// <summary>Number of bypass diodes failed short (their submodules contribute no voltage). Default 0.</summary>
    public int ShortedBypassDiodes { get; init; }

    /// <summary>True when the string circuit is open (I = 0 and the inverter input reads ≈ 0 V). Default false.</summary>
    public bool OpenCircuit { get; init; }

    /// <summary>Cell degradation, or null for none.</summary>
    public DegradationSpec? Degradation { get; init; }

    /// <summary>The label-level definition for the domain catalog.</summary>
    public ConditionDefinition ToDefinition() => new(Code, Description, Kind, PaperShare);

    /// <summary>Checks the values are in range.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (!ConditionCatalog.IsValidCode(Code)) throw new ArgumentException($"Condition code '{Code}' is invalid: use 1–32 letters, digits, '_' or '-'.");
        if (AddedSeriesResistance < 0) throw new ArgumentException($"{Code}: AddedSeriesResistance must be ≥ 0 Ω.");
        if (Soiling is < 0 or > 1) throw new ArgumentException($"{Code}: Soiling must be within 0–1.");
        if (ShortedBypassDiodes < 0) throw new ArgumentException($"{Code}: ShortedBypassDiodes must be ≥ 0.");
        if (PaperShare is < 0 or > 1) throw new ArgumentException($"{Code}: PaperShare must be within 0–1.");
        foreach (var s in Shading)
        {
            if (s.Cells < 0) throw new ArgumentException($"{Code}: shading Cells must be ≥ 0.");
            if (s.Coverage is < 0 or > 1 || s.Transmittance is < 0 or > 1)
                throw new ArgumentException($"{Code}: shading Coverage and Transmittance must be within 0–1.");
        }

        if (Degradation is { } d && (d.PhotocurrentFactor < 0 || d.SeriesResistanceFactor <= 0 || d.ShuntResistanceFactor <= 0))
            throw new ArgumentException($"{Code}: degradation factors must be positive.");
    }
}
