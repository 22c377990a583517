namespace PvMonitor.Learning.Experiments;

/// <summary>
/// The model kinds <c>experiment variants</c> compares by default, in report order. The one place to extend: when the model
/// registry (<c>Models/ModelKinds</c>) lands, <see cref="All"/> becomes its list; until then it is today's kinds, each trained
/// through <see cref="Training.ConditionModelTrainer"/> by name.
/// </summary>
public static class ExperimentModelKinds
{
    /// <summary>Every kind the experiment can train: <c>sdgm</c>, <c>mlp</c>, <c>mlr</c>.</summary>
    public static IReadOnlyList<string> All { get; } = ["sdgm", "mlp", "mlr"];
}
