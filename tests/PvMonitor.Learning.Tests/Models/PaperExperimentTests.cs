using PvMonitor.Learning.Experiments;

namespace PvMonitor.Learning.Tests.Models;

public class PaperExperimentTests
{
    [Fact]
    public void All_three_experiments_run_and_report_every_cell()
    {
        var table = ModelLifecycleTests.Table(40, 4, 1);
        var options = new PaperExperimentOptions
        {
            Folds = 1, Repeats = 1, LabelBudgets = [8, 40], ProgressiveSteps = 2, ProgressiveLabels = 10,
            SdgmEpochs = 2, BaselineEpochs = 2,
        };
        var results = PaperExperiment.Run(table, ["C3", "C1"], options);
        results.Classes.Should().Equal("C3", "C1", "C0", "C2");
        results.Table3.Should().HaveCount(6);
        results.Table3.Should().OnlyContain(s => s.Accuracies.Count == 1 && s.Mean >= 0 && s.Mean <= 1);
        results.Confusions.Should().HaveCount(6).And.OnlyContain(c => c.Matrix.Sum(r => r.Sum()) == 32);
        results.Latents.Select(l => l.Features).Should().Equal("simple", "complex");
        results.Figure7.Should().HaveCount(12);
        results.Figure7.Select(p => p.Labels).Distinct().Order().Should().Equal(8, 40);
        results.Figure8.Should().HaveCount(2);
        results.Figure8[0].Included.Should().Equal("C3");
        results.Figure8[1].Included.Should().Equal("C3", "C1");
        double.IsFinite(results.Figure8[0].ElboExcludedMean).Should().BeTrue();
    }
}
