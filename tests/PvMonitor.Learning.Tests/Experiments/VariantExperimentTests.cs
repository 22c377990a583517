using PvMonitor.Learning.Experiments;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Tests.Models;

namespace PvMonitor.Learning.Tests.Experiments;

public class VariantExperimentTests
{
    [Fact]
    public void Every_model_runs_on_the_same_splits_and_only_models_with_an_elbo_get_auroc_cells()
    {
        var table = ModelLifecycleTests.Table(40, 4, 1); // 160 rows, classes C0–C3, the six sensor columns
        var options = new VariantExperimentOptions { Seeds = 2, Epochs = 2, Models = ["sdgm", "mlr"], LabelsPerClass = [5, null], HeldOut = ["C1", "C2"] };

        var results = VariantExperiment.Run(table, ["C3"], options);

        results.Classes.Should().Equal("C3", "C0", "C1", "C2");
        results.Rows.Should().Be(160);
        results.Accuracy.Should().HaveCount(2 * 2 * 2);
        results.Accuracy.Select(a => (a.Model, a.Features, a.Labels)).Should().Contain(("sdgm", "simple", "5")).And.Contain(("mlr", "complex", "all"));
        results.Accuracy.Should().OnlyContain(a => a.Accuracies.Count == 2 && a.Mean >= 0 && a.Mean <= 1 && a.Std >= 0);
        results.Auroc.Select(a => (a.Model, a.Score)).Should().Equal(("sdgm", "elbo"), ("sdgm", "iw-elbo"), ("sdgm", "lk"));
        results.Auroc.Should().OnlyContain(a => a.Aurocs.Count == 4 && a.HeldOut.SequenceEqual(new[] { "C1", "C2", "C1", "C2" }));
        results.Auroc.SelectMany(a => a.Aurocs).Should().OnlyContain(v => v >= 0 && v <= 1);
        results.EpochTimes.Should().HaveCount(4).And.OnlyContain(t => t.SecondsPerEpoch.Count == 4 && t.Mean > 0);
        results.Recommendation.Should().Be(VariantRecommendation.From(results.Accuracy, results.Auroc));
    }

    [Fact]
    public void Fewer_rows_models_and_scores_shrink_the_run_and_an_absent_held_out_condition_is_named()
    {
        var table = ModelLifecycleTests.Table(40, 3, 2);
        var options = new VariantExperimentOptions { Seeds = 1, Epochs = 1, Rows = 60, Models = ["mlr", "sdgm"], Scores = [AnomalyScore.Lk], LabelsPerClass = [null], HeldOut = ["C0"] };

        var results = VariantExperiment.Run(table, [], options);

        results.Rows.Should().Be(60);
        results.Accuracy.Select(a => a.Model).Distinct().Should().Equal("mlr", "sdgm");
        results.Auroc.Should().ContainSingle().Which.Score.Should().Be("lk");

        var absent = () => VariantExperiment.Run(table, [], options with { HeldOut = ["PS7"] });
        absent.Should().Throw<ArgumentException>().WithMessage("*PS7*");
        var noSeeds = () => VariantExperiment.Run(table, [], options with { Seeds = 0 });
        noSeeds.Should().Throw<ArgumentException>().WithMessage("*Seeds*");
    }

    [Fact]
    public void A_cagem_trained_without_labels_gets_its_cluster_purity_and_the_option_variants_train()
    {
        var table = ModelLifecycleTests.Table(40, 3, 3);
        var options = new VariantExperimentOptions { Seeds = 1, Epochs = 2, Models = ["cagem", "sdgm+consistency"], Scores = [AnomalyScore.Elbo], LabelsPerClass = [5], HeldOut = [] };

        var results = VariantExperiment.Run(table, [], options);

        results.Accuracy.Select(a => a.Model).Distinct().Should().Equal("cagem", "sdgm+consistency");
        results.ClusterPurity.Should().ContainSingle().Which.Model.Should().Be("cagem");
        // One purity per seed, from the cagem trained without labels (the computation itself: the next test). Purity is never
        // below the majority share by construction, so the report prints that share beside it as the no-skill line.
        results.ClusterPurity[0].Values.Should().ContainSingle().Which.Should().BeInRange(0.0, 1.0);
        results.MajorityShare.Should().BeApproximately(1.0 / 3, 1e-9);
        results.Accuracy.Should().OnlyContain(a => a.Accuracies.Count == 1, "the label-free cagem run adds no accuracy cell");
    }

    [Fact]
    public void Cluster_purity_counts_each_clusters_most_frequent_condition()
    {
        // Rows 0–3 in cluster 0 (conditions A, A, A, B), rows 4–5 in cluster 1 (B, C): (3 + 1) / 6.
        var model = new FixedClusters([0, 0, 0, 0, 1, 1]);
        var test = new PvMonitor.Learning.Data.TabularData(new float[6], 6, ["I"], ["A", "A", "A", "B", "B", "C"]);

        VariantExperiment.ClusterPurity(model, test).Should().BeApproximately(4.0 / 6, 1e-12);
    }

    private sealed class FixedClusters(int[] clusters) : IConditionModel
    {
        public ModelManifest Manifest => throw new NotSupportedException();
        public IReadOnlyList<string> Features => ["I"];
        public IReadOnlyList<string> Classes => ["k0", "k1"];
        public bool HasElbo => false;

        public void Score(ReadOnlySpan<float> features, int rows, Span<float> probabilities, Span<float> elbo, Span<float> reconstructionZ)
        {
            for (int i = 0; i < rows; i++) probabilities[i * 2 + clusters[i]] = 1f;
        }
    }

    [Fact]
    public void The_recommendation_is_the_best_mean_accuracy_and_the_best_mean_auroc()
    {
        VariantAccuracy Acc(string model, string labels, params double[] values) => new(model, "complex", labels, values);
        var accuracy = new[]
        {
            Acc("sdgm", "10", 0.6, 0.8), Acc("sdgm", "all", 0.9, 0.9), // mean of cell means 0.8
            Acc("mlp", "10", 0.5, 0.5), Acc("mlp", "all", 0.95, 0.95), // 0.725
            Acc("m2", "10"), Acc("m2", "all"),                         // no runs: NaN never wins
        };
        var auroc = new[]
        {
            new VariantAuroc("sdgm", "elbo", ["PS7", "RS4"], [0.7, 0.8]),
            new VariantAuroc("sdgm", "lk", ["PS7", "RS4"], [0.9, 0.8]),
            new VariantAuroc("adgm", "lk", ["PS7", "RS4"], [0.95, 0.95]),
            new VariantAuroc("adgm", "elbo", ["PS7", "RS4"], [0.5, 0.6]),
        };

        var r = VariantRecommendation.From(accuracy, auroc);

        r.BestModel.Should().Be("sdgm");
        r.BestModelAccuracy.Should().BeApproximately(0.8, 1e-12);
        r.BestScore.Should().Be("lk");
        r.BestScoreAuroc.Should().BeApproximately(0.9, 1e-12);
        r.BestScoreModel.Should().Be("adgm");
        auroc[1].MeanFor("PS7").Should().Be(0.9);
        VariantRecommendation.From(accuracy, []).BestScore.Should().BeNull();
    }
}
