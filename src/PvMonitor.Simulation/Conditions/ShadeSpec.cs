namespace PvMonitor.Simulation.Conditions;

/// <summary>
/// Shading of some cells of some submodules. Cells are counted from the bottom of each submodule (a submodule of a portrait
/// 60-cell module is two columns of ten cells running from the bottom edge to the top edge of the module).
/// </summary>
public sealed record ShadeSpec
{
    /// <summary>0-based module positions in the string; null or empty = every module.</summary>
    public IReadOnlyList<int>? Modules { get; init; }

    /// <summary>0-based submodules within each selected module; null or empty = every submodule.</summary>
    public IReadOnlyList<int>? Submodules { get; init; }

    /// <summary>How many cells of each selected submodule are shaded, counted from the bottom. Default 20 (a whole default submodule).</summary>
    public int Cells { get; init; } = 20;

    /// <summary>Fraction of each shaded cell's area that is covered, 0–1. Default 1.</summary>
    public double Coverage { get; init; } = 1;

    /// <summary>Fraction of light the cover lets through, 0–1 (0 = opaque board, 0.2–0.5 = shade cloth). Default 0.</summary>
    public double Transmittance { get; init; }

    /// <summary>True for a shadow cast by a distant object (only direct-beam light is blocked); false for a cover on the glass (all light). Default false.</summary>
    public bool BeamOnly { get; init; }
}
