using PvMonitor.Learning.Models;
using PvMonitor.Monitoring.Configuration;

namespace PvMonitor.Monitoring.Operations.Retraining;

/// <summary>Retraining on operator labels and its validation gate (section <c>Retrain</c>).</summary>
public sealed class RetrainOptions : ISectionOptions
{
    /// <inheritdoc />
    public static string SectionName => "Retrain";

    /// <summary>Most epochs of a retraining (early stopping may end it sooner). Default 30: fine-tuning starts from the active model.</summary>
    public int Epochs { get; set; } = 30;

    /// <summary>
    /// Continue from the active model's weights (sdgm; its scaling and architecture kept, the new conditions' outputs added)
    /// instead of training from scratch. Default true: on simulated plants it kept accuracy on the known conditions within
    /// a point where training afresh on the snapshot lost 7 (bench/README.md, "Retraining").
    /// </summary>
    public bool FineTune { get; set; } = true;

    /// <summary>Longest a retraining may train. Default 00:20:00.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Most recent unlabeled daylight rows added (semi-supervised; the active model pseudo-labels the confident ones). Default 20000.</summary>
    public int UnlabeledRows { get; set; } = 20_000;

    /// <summary>How far back unlabeled rows are taken from. Default 7 days.</summary>
    public TimeSpan UnlabeledHistory { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// An unlabeled row keeps the active model's class as its label when the model is at least this confident and the row is
    /// not anomalous, so conditions the operator did not label are not forgotten. Default 0.95.
    /// </summary>
    public double PseudoLabelConfidence { get; set; } = 0.95;

    /// <summary>Share of each class's labeled rows (the latest by time) held out for the gate. Default 0.2.</summary>
    public double HoldoutShare { get; set; } = 0.2;

    /// <summary>Largest drop in accuracy on the previously known conditions (held-out rows) the gate accepts. Default 0.02 (2 points).</summary>
    public double MaxOldAccuracyDrop { get; set; } = 0.02;

    /// <summary>Smallest recall of each new condition on its held-out rows. Default 0.8.</summary>
    public double MinNewRecall { get; set; } = 0.8;

    /// <summary>Largest share of held-out healthy rows (severity info) the candidate may flag as anomalous. Default 0.05.</summary>
    public double MaxFlaggedRate { get; set; } = 0.05;

    /// <summary>Most rows per class kept in a retrained model's training snapshot (replayed by the next retraining). Default 2000.</summary>
    public int SnapshotRowsPerClass { get; set; } = TrainingSnapshot.DefaultRowsPerClass;

    /// <summary>
    /// Cron expression (UTC; see <see cref="RetrainSchedule"/>) at which a retraining starts when the labels changed since
    /// every registered version was trained (so the same labels are not retried). Default empty: no schedule.
    /// </summary>
    public string Schedule { get; set; } = "";

    /// <summary>
    /// A retraining starts this long after the last label of a condition the active model does not know (each new such label
    /// restarts the wait, so an operator can label several periods first). Default 00:30:00; 00:00:00 turns it off.
    /// </summary>
    public TimeSpan NewConditionDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Seed of the training and the row sampling. Default 1.</summary>
    public ulong Seed { get; set; } = 1;

    /// <inheritdoc />
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Epochs is < 1 or > 100_000) errors.Add($"Retrain:Epochs must be 1–100000 (was {Epochs}).");
        if (TimeLimit <= TimeSpan.Zero) errors.Add($"Retrain:TimeLimit must be > 0 (was {TimeLimit}).");
        if (UnlabeledRows is < 0 or > 10_000_000) errors.Add($"Retrain:UnlabeledRows must be 0–10000000 (was {UnlabeledRows}).");
        if (UnlabeledHistory <= TimeSpan.Zero) errors.Add($"Retrain:UnlabeledHistory must be > 0 (was {UnlabeledHistory}).");
        if (PseudoLabelConfidence is <= 0 or > 1) errors.Add($"Retrain:PseudoLabelConfidence must be in (0, 1] (was {PseudoLabelConfidence}).");
        if (HoldoutShare is <= 0 or >= 1) errors.Add($"Retrain:HoldoutShare must be in (0, 1) (was {HoldoutShare}).");
        if (MaxOldAccuracyDrop is < 0 or > 1) errors.Add($"Retrain:MaxOldAccuracyDrop must be 0–1 (was {MaxOldAccuracyDrop}).");
        if (MinNewRecall is < 0 or > 1) errors.Add($"Retrain:MinNewRecall must be 0–1 (was {MinNewRecall}).");
        if (Schedule.Trim().Length > 0 && RetrainSchedule.TryParse(Schedule, out var cronError) is null) errors.Add(cronError!);
        if (NewConditionDelay < TimeSpan.Zero) errors.Add($"Retrain:NewConditionDelay must be ≥ 00:00:00 (was {NewConditionDelay}).");
        if (SnapshotRowsPerClass is < 1 or > 1_000_000) errors.Add($"Retrain:SnapshotRowsPerClass must be 1–1000000 (was {SnapshotRowsPerClass}).");
        if (MaxFlaggedRate is < 0 or > 1) errors.Add($"Retrain:MaxFlaggedRate must be 0–1 (was {MaxFlaggedRate}).");
        return errors;
    }
}
