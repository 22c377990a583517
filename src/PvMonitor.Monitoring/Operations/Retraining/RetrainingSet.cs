using PvMonitor.Learning.Data;

namespace PvMonitor.Monitoring.Operations.Retraining;

/// <summary>
/// The rows of one retraining: operator-labelled rows, pseudo-labelled rows (the active model, confident and not anomalous),
/// unlabeled rows, and the held-out labelled rows (the latest share of each class by time) the gate judges on.
/// </summary>
/// <param name="Training">Rows to train on (labels null for unlabeled rows).</param>
/// <param name="Holdout">Held-out labelled rows.</param>
/// <param name="OperatorRows">Rows labelled by operators (training and held out).</param>
/// <param name="PseudoLabeledRows">Rows labelled by the active model.</param>
/// <param name="UnlabeledRows">Rows without a label.</param>
/// <param name="NewClasses">Labelled conditions the active model does not know.</param>
/// <param name="LabelSnapshot">SHA-256 of the labels used.</param>
public sealed record RetrainingSet(TabularData Training, TabularData Holdout, int OperatorRows, int PseudoLabeledRows, int UnlabeledRows,
    IReadOnlyList<string> NewClasses, string LabelSnapshot);
