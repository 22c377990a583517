using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Classifiers;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Training;
using PvMonitor.Monitoring.Operations;

namespace PvMonitor.Tests.Operations;

/// <summary>Monitoring's <see cref="LatentMap"/> on real trained models (here, because this project loads libtorch; Monitoring.Tests does not).</summary>
public sealed class LatentMapTests
{
    /// <summary>Three well separated classes of 40 rows in 3 features.</summary>
    private static TabularData Clusters()
    {
        var x = new float[120 * 3];
        var labels = new string?[120];
        var random = new RandomSource(4);
        for (var r = 0; r < 120; r++)
        {
            var c = r / 40;
            labels[r] = "C" + c;
            for (var f = 0; f < 3; f++) x[r * 3 + f] = (f == c ? 5 : 0) + random.NextNormal() * 0.3f;
        }

        return new TabularData(x, 120, ["a", "b", "c"], labels);
    }

    private static TrainRequest Request(string kind) => new()
    {
        Kind = kind,
        Seed = 1,
        Sdgm = new SdgmOptions { Z1 = 4, Z2 = 2, Hidden = 16, Epochs = 5, Patience = 0 },
        Classifier = ClassifierOptions.Mlr with { Epochs = 2 },
        TrainingDataHash = new string('d', 64),
    };

    [Fact]
    public void An_sdgm_map_has_up_to_the_asked_rows_evenly_over_the_classes_and_variance_shares_that_add_up_to_at_most_one()
    {
        var data = Clusters();
        var model = ConditionModelTrainer.Train(data, Request("sdgm"));

        var map = LatentMap.Of(model, data, maxRows: 60);

        map.Points.Should().HaveCount(60);
        map.Points.GroupBy(p => p.Label).Select(g => g.Count()).Should().Equal(20, 20, 20);
        map.Explained.Should().HaveCount(2);
        map.Explained[0].Should().BeGreaterThanOrEqualTo(map.Explained[1]);
        (map.Explained[0] + map.Explained[1]).Should().BeInRange(0.01, 1.0 + 1e-9);
        map.Points.Should().OnlyContain(p => double.IsFinite(p.X) && double.IsFinite(p.Y));
    }

    [Fact]
    public void A_model_without_a_latent_space_is_refused_as_invalid_naming_its_kind()
    {
        var data = Clusters();
        var model = ConditionModelTrainer.Train(data, Request("mlr"));

        var act = () => LatentMap.Of(model, data, maxRows: 60);

        act.Should().Throw<OperationRejectedException>().Where(e => e.Kind == RejectionKind.Invalid).WithMessage("A mlr model has no latent space*");
    }
}
