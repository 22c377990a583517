using PvMonitor.Domain.Conditions;

namespace PvMonitor.Simulation.Conditions;

/// <summary>Ready-made conditions outside the paper's ten, for the anomaly and retraining demonstrations.</summary>
internal static class ExtraConditions
{
    internal static IReadOnlyList<ConditionPhysics> Create() =>
    [
        new()
        {
            Code = "SOIL",
            Description = "Soiling: 12 % uniform light loss, dirt band over the bottom cell row",
            Kind = ConditionKind.Fault,
            Soiling = 0.12,
            Shading = [new ShadeSpec { Cells = 2, Coverage = 0.4, Transmittance = 0.5 }],
        },
        new()
        {
            Code = "BYPASS",
            Description = "Two bypass diodes failed short (two submodules contribute no voltage)",
            Kind = ConditionKind.Fault,
            ShortedBypassDiodes = 2,
        },
        new()
        {
            Code = "DEGR",
            Description = "Potential-induced degradation of three modules (shunt resistance down to 2 %, photocurrent −3 %)",
            Kind = ConditionKind.Fault,
            Degradation = new DegradationSpec { Modules = [0, 1, 2], ShuntResistanceFactor = 0.02, PhotocurrentFactor = 0.97 },
        },
        new()
        {
            Code = "OPEN",
            Description = "Open string circuit (broken connector): no current, ≈0 V at the inverter",
            Kind = ConditionKind.Fault,
            OpenCircuit = true,
        },
    ];
}
