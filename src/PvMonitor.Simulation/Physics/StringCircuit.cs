using PvMonitor.Simulation.Conditions;

namespace PvMonitor.Simulation.Physics;

/// <summary>
/// A string compiled for fast evaluation under one condition: cells with the same optical and electrical state are grouped into
/// classes, submodules with the same make-up into types, so a minute costs one Lambert-W sweep per cell class.
/// </summary>
public sealed class StringCircuit
{
    private StringCircuit(CellClass[] classes, SubmoduleType[] submodules, double seriesResistance, bool open, DegradationSpec? degradation)
    {
        Classes = classes;
        Submodules = submodules;
        SeriesResistance = seriesResistance;
        Open = open;
        Degradation = degradation;
    }

    internal CellClass[] Classes { get; }

    internal SubmoduleType[] Submodules { get; }

    internal DegradationSpec? Degradation { get; }

    /// <summary>Resistance in series with the modules (wiring plus any added by the condition), Ω.</summary>
    public double SeriesResistance { get; }

    /// <summary>True when no current can flow.</summary>
    public bool Open { get; }

    /// <summary>Number of distinct cell states (each costs one I–V sweep per minute).</summary>
    public int CellClassCount => Classes.Length;

    /// <summary>
    /// Compiles a string under a condition (null = healthy), with <paramref name="snowRows"/> giving, per module, how many cell
    /// rows from the bottom edge lie under snow (empty = no snow).
    /// </summary>
    public static StringCircuit Compile(StringLayout layout, ConditionPhysics? condition, ReadOnlySpan<int> snowRows = default)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var cellsPerSub = layout.Module.CellsPerSubmodule;
        var cellsPerRow = cellsPerSub / layout.RowsPerSubmodule;
        var subsPerModule = layout.Module.Submodules;
        var soiling = condition?.Soiling ?? 0;
        var shading = condition?.Shading ?? [];
        var degradation = condition?.Degradation;
        var shorted = condition?.ShortedBypassDiodes ?? 0;

        var classIndex = new Dictionary<CellClass, int>();
        var classes = new List<CellClass>();
        var typeIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var types = new List<SubmoduleType>();
        var counts = new List<int>();
        var cellClassOf = new int[cellsPerSub];
        var position = 0;

        for (var m = 0; m < layout.Modules; m++)
        {
            var degraded = degradation is not null && Selects(degradation.Modules, m);
            var rowsUnderSnow = snowRows.Length > m ? snowRows[m] : 0;
            for (var s = 0; s < subsPerModule; s++, position++)
            {
                var isShorted = position < shorted;
                for (var c = 0; c < cellsPerSub; c++)
                {
                    double kAll = 1 - soiling, kBeam = 0;
                    foreach (var spec in shading)
                    {
                        if (c >= spec.Cells || !Selects(spec.Modules, m) || !Selects(spec.Submodules, s)) continue;
                        var blocked = spec.Coverage * (1 - spec.Transmittance);
                        if (spec.BeamOnly)
                            kBeam -= blocked * kAll;
                        else
                        {
                            kAll *= 1 - blocked;
                            kBeam *= 1 - blocked;
                        }
                    }

                    var cls = new CellClass(Math.Round(kAll, 9), Math.Round(kBeam, 9), c / cellsPerRow < rowsUnderSnow, degraded);
                    if (!classIndex.TryGetValue(cls, out var ci))
                    {
                        ci = classes.Count;
                        classes.Add(cls);
                        classIndex.Add(cls, ci);
                    }

                    cellClassOf[c] = ci;
                }

                var groups = cellClassOf.GroupBy(x => x).Select(g => (Class: g.Key, Cells: g.Count())).OrderBy(g => g.Class).ToArray();
                var key = (isShorted ? "S|" : "N|") + string.Join(';', groups.Select(g => $"{g.Class}x{g.Cells}"));
                if (typeIndex.TryGetValue(key, out var ti))
                    counts[ti]++;
                else
                {
                    typeIndex.Add(key, types.Count);
                    types.Add(new SubmoduleType(0, groups, isShorted));
                    counts.Add(1);
                }
            }
        }

        var submodules = types.Select((t, i) => t with { Count = counts[i] }).ToArray();
        var series = layout.WiringResistance + (condition?.AddedSeriesResistance ?? 0);
        return new StringCircuit(classes.ToArray(), submodules, series, condition?.OpenCircuit ?? false, degradation);
    }

    private static bool Selects(IReadOnlyList<int>? list, int index)
    {
        if (list is null || list.Count == 0) return true;
        for (var i = 0; i < list.Count; i++)
            if (list[i] == index) return true;
        return false;
    }
}

/// <summary>One optical/electrical cell state: irradiance = KAll·G + KBeam·B (times snow transmittance when under snow).</summary>
internal readonly record struct CellClass(double KAll, double KBeam, bool UnderSnow, bool Degraded);

/// <summary>A kind of submodule: how many of its cells are in each class, and how many such submodules the string has.</summary>
internal sealed record SubmoduleType(int Count, (int Class, int Cells)[] Groups, bool Shorted);
