using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Tests.Models;
using PvMonitor.Learning.Training;

namespace PvMonitor.Learning.Tests.Training;

public class TrainingTunerTests
{
    [Fact]
    public void Tuning_tries_the_default_first_judges_on_the_latest_rows_and_records_the_search_in_the_manifest()
    {
        var (x, y) = SyntheticClusters.Make(150, 3, 4, seed: 6);
        var labels = y.Select(c => (string?)$"c{c}").ToArray();
        var table = new TabularData(x, labels.Length, ["a", "b", "c", "d"], labels);
        var request = new TrainRequest { Kind = "sdgm", Seed = 2, Sdgm = new SdgmOptions { Hidden = 16, Z1 = 2, Z2 = 2, Epochs = 15 } };
        using var model = (SdgmModel)TrainingTuner.Train(table, request, TimeSpan.FromSeconds(60));
        var report = model.Manifest.Tuning!;
        report.Candidates.Should().NotBeEmpty();
        report.Candidates[0].Name.Should().Be("default");
        report.Candidates.Select(c => c.Name).Should().Contain(report.Chosen);
        report.Validation.Should().StartWith("accuracy on the last 20 %").And.Contain("(90 rows)");
        var chosen = report.Candidates.Single(c => c.Name == report.Chosen);
        report.Candidates.Should().OnlyContain(c => c.Accuracy <= chosen.Accuracy);
        model.Manifest.Metrics["rows"].Should().Be(450, "the chosen settings are retrained on all rows");

        var dir = Directory.CreateTempSubdirectory("pvtune");
        try
        {
            ModelDirectory.Save(dir.FullName, model);
            using var loaded = (IDisposable)ModelDirectory.Load(dir.FullName);
            ((IConditionModel)loaded).Manifest.Tuning.Should().BeEquivalentTo(report);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void A_budget_too_small_for_a_search_still_yields_the_default_model()
    {
        var (x, y) = SyntheticClusters.Make(100, 2, 4, seed: 1);
        var table = new TabularData(x, y.Length, ["a", "b", "c", "d"], y.Select(c => (string?)$"c{c}").ToArray());
        var request = new TrainRequest { Kind = "mlp", Seed = 2 };
        using var model = (IDisposable)TrainingTuner.Train(table, request, TimeSpan.FromMilliseconds(1));
        var report = ((IConditionModel)model).Manifest.Tuning!;
        report.Candidates.Should().ContainSingle().Which.Name.Should().Be("default");
        report.Chosen.Should().Be("default");
    }

    [Fact]
    public void Tuning_refuses_data_too_small_to_hold_rows_out()
    {
        var table = new TabularData(new float[20 * 2], 20, ["a", "b"], Enumerable.Repeat<string?>("n", 20).ToArray());
        var act = () => TrainingTuner.Train(table, new TrainRequest { Kind = "sdgm" }, TimeSpan.FromSeconds(5));
        act.Should().Throw<ArgumentException>().WithMessage("*at least 50 rows*");
    }
}
