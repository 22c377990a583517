using PvMonitor.Learning.Data;

namespace PvMonitor.Monitoring.Operations.Retraining;

/// <summary>
/// The rows of one retraining: operator-labelled rows, the active model's training snapshot (replayed), pseudo-labelled rows
/// (the active model, confident and not anomalous), unlabeled rows, and the held-out labelled rows the gate judges on (the
/// latest share of each operator-labelled condition by time, and a seeded share of each class of the snapshot).
/// </summary>
/// <param name="Training">Rows to train on (labels null for unlabeled rows).</param>
/// <param name="Holdout">Held-out labelled rows.</param>
/// <param name="OperatorRows">Rows labelled by operators (training and held out).</param>
/// <param name="SnapshotRows">Rows of the active model's training snapshot (training and held out); 0 when it has none.</param>
/// <param name="PseudoLabeledRows">Rows labelled by the active model.</param>
/// <param name="UnlabeledRows">Rows without a label.</param>
/// <param name="NewClasses">Labelled conditions the active model does not know.</param>
/// <param name="LabelSnapshot">SHA-256 of the labels used.</param>
/// <param name="NextSnapshot">The candidate's training snapshot: a stratified sample of the operator and snapshot rows.</param>
public sealed record RetrainingSet(TabularData Training, TabularData Holdout, int OperatorRows, int SnapshotRows, int PseudoLabeledRows, int UnlabeledRows,
    IReadOnlyList<string> NewClasses, string LabelSnapshot, TabularData NextSnapshot);
