namespace PvMonitor.Domain.Conditions;

/// <summary>What a condition means for the operator.</summary>
public enum ConditionKind
{
    /// <summary>Normal operation (clear or cloudy sky): no action needed.</summary>
    Normal,

    /// <summary>An environmental condition that lowers output but is not a plant fault (snow).</summary>
    Environmental,

    /// <summary>A fault that costs energy and usually needs a visit (shading, series resistance, …).</summary>
    Fault,
}
