namespace PvMonitor.Domain.Conditions;

/// <summary>One condition a PV string can be in, as a class label.</summary>
/// <param name="Code">Short label used in data files and models (e.g. <c>PS7</c>); case-sensitive.</param>
/// <param name="Description">One line for operators.</param>
/// <param name="Kind">Whether the condition is normal operation, environmental or a fault.</param>
/// <param name="PaperShare">Share of samples in Table II of the PV paper (0–1), or 0 for conditions not in the paper.</param>
public sealed record ConditionDefinition(string Code, string Description, ConditionKind Kind, double PaperShare = 0)
{
    /// <summary>True when the condition should raise a fault alert when entered.</summary>
    public bool IsFault => Kind == ConditionKind.Fault;
}
