using System.Globalization;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Training;

namespace PvMonitor.Learning.Tests.Training;

/// <summary>
/// The real-data check of issue 13 as a fixed split: La Réunion's inverter (../shared/realdata/la-reunion), an SDGM trained
/// with the default settings on the `normal` rows before 13 May 2022 — a new plant where only normal operation has been
/// seen — and scored on the rest, which holds three induced fault episodes. bench/training reports the same split over
/// several seeds against scikit-learn's IsolationForest.
/// </summary>
public class LaReunionTests
{
    private const string File = "la-reunion/la-reunion-5min.csv";

    [FieldMeasurementsFact(File)]
    public void An_sdgm_trained_on_normal_operation_ranks_the_later_fault_episodes_below_normal_rows_with_a_sane_threshold()
    {
        var text = System.IO.File.ReadAllText(FieldMeasurements.Find(File)!);
        var data = CsvTableReader.Read(new StringReader(text), ["I", "V", "G", "TExt", "TMod"], "label");
        var times = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => DateTimeOffset.Parse(l[..l.IndexOf(',')], CultureInfo.InvariantCulture)).ToArray();
        var cut = new DateTimeOffset(2022, 5, 13, 0, 0, 0, TimeSpan.Zero);
        var train = data.Select(Enumerable.Range(0, data.Rows).Where(i => times[i] < cut && data.Labels[i] == "normal").ToArray());
        var test = data.Select(Enumerable.Range(0, data.Rows).Where(i => times[i] >= cut).ToArray());

        using var model = (SdgmModel)ConditionModelTrainer.Train(train, new TrainRequest { Kind = "sdgm", Seed = 1 });
        var result = ModelEvaluator.Evaluate(model, test, ["fault_3_1"]);

        // scikit-learn's IsolationForest on the same split: 0.91–0.93 (bench/training/README.md).
        result.Anomaly!.AurocUnseen.Should().BeGreaterThanOrEqualTo(0.93);
        var p50 = model.Manifest.Metrics["train_elbo_p50"];
        model.Manifest.Threshold!.Elbo.Should().BeInRange(p50 - 30, p50, "a few nats below the training ELBOs");
        model.Manifest.Metrics["best_epoch"].Should().BeGreaterThan(model.Manifest.Metrics["epochs_run"] / 2);
        result.Anomaly.FlaggedRateSeen.Should().BeLessThan(0.1, "normal rows after the cut are rarely flagged");
        result.Anomaly.FlaggedRateUnseen.Should().BeGreaterThan(0.5, "most fault rows are flagged");
    }
}
