namespace PvMonitor.Monitoring.Operations.Retraining;

/// <summary>How a retrained candidate did on the gate's held-out rows (stored with the version in the registry).</summary>
/// <param name="HoldoutRows">Held-out rows judged.</param>
/// <param name="Classes">The candidate's classes: the order of the confusion matrix's rows and columns.</param>
/// <param name="Confusion">Row = true class, column = the candidate's predicted class (held-out rows of the candidate's classes); a class's recall is its diagonal over its row's sum.</param>
/// <param name="Metrics">The gate's measurements (old_accuracy_parent, old_accuracy_candidate, recall_CODE, flagged_rate_healthy, holdout_rows).</param>
public sealed record ValidationReport(int HoldoutRows, IReadOnlyList<string> Classes, IReadOnlyList<IReadOnlyList<int>> Confusion,
    IReadOnlyDictionary<string, double> Metrics);
