using PvMonitor.Domain.Conditions;

namespace PvMonitor.Simulation.Conditions;

/// <summary>
/// Physical definitions of Table II's ten conditions for the default string (8 portrait 60-cell modules, 3 submodules of
/// 2 × 10 cells each; string series resistance ≈ 8.0 Ω = 8 × 0.99 Ω module + 0.1 Ω wiring, so RS4 adds 4 Ω and RS8 8 Ω).
/// </summary>
internal static class PaperConditions
{
    /// <summary>Transmittance of the shade cloth used for the partial-shading experiments.</summary>
    internal const double ClothTransmittance = 0.35;

    /// <summary>Half the default string's series resistance (the paper's "50 % increase"), Ω.</summary>
    internal const double HalfStringResistance = 4.0;

    internal static IReadOnlyList<ConditionPhysics> Create()
    {
        var descriptions = ConditionCatalog.Paper.ToDictionary(c => c.Code, c => c);
        ConditionPhysics Def(string code) => new()
        {
            Code = code,
            Description = descriptions[code].Description,
            Kind = descriptions[code].Kind,
            PaperShare = descriptions[code].PaperShare,
        };

        var halfSubmodule = new ShadeSpec
        {
            Modules = [ConditionLibrary.ShadedModule], Submodules = [1], Cells = 10, Coverage = 1, Transmittance = ClothTransmittance,
        };
        return
        [
            // Bottom cell row of every module (2 cells in each submodule) covered over 70 % of its height by a translucent strip:
            // 7 % of the module area. Every submodule is limited alike, so no bypass diode conducts: the string current drops.
            Def("PS7") with { Shading = [new ShadeSpec { Cells = 2, Coverage = 0.7, Transmittance = 0.3 }] },
            Def("RS4") with { AddedSeriesResistance = HalfStringResistance },
            // Half of one submodule (its lower 10 cells) under shade cloth: the tracker either runs at the shaded cells'
            // current or lets the bypass diode carry the submodule (−1/24 of the voltage), whichever hill it is on.
            Def("PS50") with { Shading = [halfSubmodule] },
            Def("RS8") with { AddedSeriesResistance = 2 * HalfStringResistance },
            Def("PSRS") with { Shading = [halfSubmodule], AddedSeriesResistance = HalfStringResistance },
            Def("PS75") with
            {
                Shading =
                [
                    halfSubmodule,
                    new ShadeSpec { Modules = [ConditionLibrary.ShadedModule + 2], Submodules = [0], Cells = 5, Coverage = 1, Transmittance = ClothTransmittance },
                ],
            },
            Def("C") with { Weather = WeatherRequirement.Cloudy },
            Def("S") with { Weather = WeatherRequirement.Snow },
            Def("N") with { Weather = WeatherRequirement.Clear },
            // Three quarters of every cell of 6 submodules (modules 0 and 1) under dense shade net (10 % transmittance).
            Def("IV") with { Shading = [new ShadeSpec { Modules = [0, 1], Cells = 20, Coverage = 0.75, Transmittance = 0.1 }] },
        ];
    }
}
