using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Training;

namespace PvMonitor.Learning.Tests.Models;

public sealed class ModelLifecycleTests : IDisposable
{
    private static readonly string[] Sensors = ["I", "V", "G", "TExt", "TMod", "W"];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"pvmon-model-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    internal static TabularData Table(int perClass, int classes, ulong seed, int firstClass = 0)
    {
        var (x, y) = SyntheticClusters.Make(perClass, classes, 6, seed, firstClass);
        return new TabularData(x, y.Length, Sensors, y.Select(c => (string?)$"C{c}").ToArray());
    }

    private static TrainRequest Request(string kind) => new()
    {
        Kind = kind,
        Seed = 3,
        Sdgm = new SdgmOptions { Z1 = 2, Z2 = 2, Hidden = 16, Epochs = 15, LearningRate = 3e-3f, Patience = 0 },
        Classifier = (kind == "mlr" ? PvMonitor.Learning.Models.Classifiers.ClassifierOptions.Mlr : PvMonitor.Learning.Models.Classifiers.ClassifierOptions.Mlp) with { Epochs = 15 },
        Created = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero),
        TrainingDataHash = new string('a', 64),
    };

    [Theory]
    [InlineData("sdgm")]
    [InlineData("mlp")]
    [InlineData("mlr")]
    public void Saved_model_loads_and_scores_identically(string kind)
    {
        var table = Table(60, 3, 1);
        var model = ConditionModelTrainer.Train(table, Request(kind));
        ModelDirectory.Save(_dir, model);
        var loaded = ModelDirectory.Load(_dir);

        loaded.Manifest.Version.Should().Be(model.Manifest.Version);
        loaded.Classes.Should().Equal("C0", "C1", "C2");
        var p1 = new float[table.Rows * 3];
        var p2 = new float[table.Rows * 3];
        var e1 = new float[table.Rows];
        var e2 = new float[table.Rows];
        model.Score(table.Features, table.Rows, p1, e1, default);
        loaded.Score(table.Features, table.Rows, p2, e2, default);
        p2.Should().Equal(p1);
        if (kind == "sdgm")
        {
            e2.Should().Equal(e1);
            loaded.Manifest.Threshold.Should().NotBeNull();
            // The threshold is the 0.5th percentile of training ELBOs: about 0.5 % of training rows fall below it.
            e1.Count(v => v < loaded.Manifest.Threshold!.Elbo).Should().BeInRange(0, 5);
        }
        else
        {
            e1.Should().OnlyContain(v => float.IsNaN(v));
        }
    }

    [Fact]
    public void Truncated_or_bit_flipped_weights_and_a_bad_manifest_are_rejected_with_the_file_named()
    {
        var model = ConditionModelTrainer.Train(Table(30, 3, 1), Request("mlr"));
        ModelDirectory.Save(_dir, model);
        var weights = Path.Combine(_dir, ModelDirectory.WeightsFileName);
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        var act = () => ModelDirectory.Load(_dir);
        act.Should().Throw<ModelFormatException>().WithMessage("*weights.pt*SHA-256*");

        ModelDirectory.Save(_dir, model);
        bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(weights, bytes);
        act.Should().Throw<ModelFormatException>().WithMessage("*weights.pt*SHA-256*");

        ModelDirectory.Save(_dir, model);
        File.WriteAllText(Path.Combine(_dir, ModelManifestFile.FileName), "{ \"formatVersion\": 99 }");
        act.Should().Throw<ModelFormatException>().WithMessage("*manifest*");
    }

    [Fact]
    public void A_model_of_the_previous_engine_is_refused_with_a_message_to_retrain()
    {
        Directory.CreateDirectory(_dir);
        var manifest = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Models", "previous-engine-manifest.json"));
        File.WriteAllText(Path.Combine(_dir, ModelManifestFile.FileName), manifest);
        File.WriteAllBytes(Path.Combine(_dir, "weights.bin"), [0x50, 0x56, 0x4d, 0x4c]);
        var act = () => ModelDirectory.Load(_dir);
        act.Should().Throw<ModelFormatException>().WithMessage("*previous learning engine*Retrain*pvmonitor train*");
    }

    [Fact]
    public void The_manifest_records_the_weights_file_and_its_checksum()
    {
        var model = ConditionModelTrainer.Train(Table(30, 3, 1), Request("mlp"));
        var written = ModelDirectory.Save(_dir, model);
        written.Weights!.File.Should().Be("weights.pt");
        written.Weights.Format.Should().Be("pytorch-state-dict");
        written.Weights.Sha256.Should().Be(ModelDirectory.Sha256(Path.Combine(_dir, "weights.pt")));
        ModelManifestFile.ReadFromDirectory(_dir).Weights.Should().Be(written.Weights);
    }

    [Fact]
    public void Weights_from_another_architecture_are_rejected_not_half_loaded()
    {
        var small = ConditionModelTrainer.Train(Table(30, 3, 1), Request("mlp"));
        ModelDirectory.Save(_dir, small);
        var manifestPath = Path.Combine(_dir, ModelManifestFile.FileName);
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("\"hidden_0\": 50", "\"hidden_0\": 40"));
        var act = () => ModelDirectory.Load(_dir);
        act.Should().Throw<ModelFormatException>().WithMessage("*does not fit*");
    }

    [Fact]
    public void Classes_option_drops_other_classes_and_labels_per_class_subsamples()
    {
        var table = Table(40, 4, 2);
        var model = ConditionModelTrainer.Train(table, Request("sdgm") with { Classes = ["C2", "C0"], LabelsPerClass = 5 });
        model.Classes.Should().Equal("C2", "C0");
        model.Manifest.Metrics["rows"].Should().Be(80);
        model.Manifest.Metrics["labeled_rows"].Should().Be(10);
        var act = () => ConditionModelTrainer.Train(table, Request("mlp") with { Classes = ["C9"] });
        act.Should().Throw<ArgumentException>().WithMessage("*C9*");
    }

    [Fact]
    public void Evaluator_reports_accuracy_and_separates_unseen_classes_by_elbo()
    {
        var train = Table(150, 3, 1);
        var model = ConditionModelTrainer.Train(train, Request("sdgm") with { Sdgm = Request("sdgm").Sdgm with { Epochs = 40 } });
        var seen = Table(60, 3, 5);
        var unseen = Table(60, 1, 6, firstClass: 3);
        var test = new TabularData(seen.Features.Concat(unseen.Features).ToArray(), seen.Rows + unseen.Rows, Sensors, seen.Labels.Concat(unseen.Labels).ToArray());
        var result = ModelEvaluator.Evaluate(model, test, ["C3"]);
        result.Accuracy.Should().BeGreaterThan(0.9);
        result.Confusion.Matrix.Sum(r => r.Sum()).Should().Be(180, "unseen rows are excluded from accuracy");
        result.Anomaly!.AurocUnseen.Should().BeGreaterThan(0.95);
        result.Anomaly.FlaggedRateUnseen.Should().BeGreaterThan(result.Anomaly.FlaggedRateSeen);
        result.SamplesPerSecond.Should().BePositive();
    }

    [Fact]
    public void Pca_finds_the_direction_of_largest_variance()
    {
        // Points spread along (1, 1, 0) with small noise in the other directions.
        var r = new RandomSource(4);
        int n = 500;
        var data = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            float t = 5 * r.NextNormal();
            data[i * 3] = t + 0.1f * r.NextNormal();
            data[i * 3 + 1] = t + 0.1f * r.NextNormal();
            data[i * 3 + 2] = 0.1f * r.NextNormal();
        }

        var pcs = Pca.Project(data, n, 3, 2);
        double var1 = 0, var2 = 0;
        for (int i = 0; i < n; i++)
        {
            var1 += pcs[2 * i] * pcs[2 * i];
            var2 += pcs[2 * i + 1] * pcs[2 * i + 1];
        }

        (var1 / n).Should().BeApproximately(50, 10); // 2 · 5² along the diagonal
        (var2 / n).Should().BeLessThan(0.1);

        // Each component's share of the total variance: the projections' variances over the three columns' variances.
        Pca.Project(data, n, 3, 2, out var explained).Should().Equal(pcs);
        double total = 0;
        for (int c = 0; c < 3; c++)
        {
            double mean = 0, sum = 0;
            for (int i = 0; i < n; i++) mean += data[i * 3 + c] / (double)n;
            for (int i = 0; i < n; i++) sum += Math.Pow(data[i * 3 + c] - mean, 2);
            total += sum / n;
        }

        explained[0].Should().BeApproximately(var1 / n / total, 1e-3);
        explained[1].Should().BeApproximately(var2 / n / total, 1e-3);
    }
}
