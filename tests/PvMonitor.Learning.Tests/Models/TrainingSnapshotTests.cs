using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Training;

namespace PvMonitor.Learning.Tests.Models;

public sealed class TrainingSnapshotTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"pvmon-snapshot-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A two-epoch MLR: what is tested is the directory, not the model.</summary>
    private static IConditionModel QuickModel(TabularData table) => ConditionModelTrainer.Train(table, new TrainRequest
    {
        Kind = "mlr",
        Seed = 1,
        Created = DateTimeOffset.UnixEpoch,
        TrainingDataHash = new string('b', 64),
        Classifier = PvMonitor.Learning.Models.Classifiers.ClassifierOptions.Mlr with { Epochs = 2 },
    });

    private static TabularData Uneven()
    {
        // 50 rows of C0, 7 of C1, 20 unlabeled; row r's first feature is r, so rows can be traced.
        var labels = Enumerable.Range(0, 77).Select(r => r < 50 ? "C0" : r < 57 ? "C1" : null).ToArray();
        var x = new float[77 * 2];
        for (var r = 0; r < 77; r++)
        {
            x[r * 2] = r;
            x[r * 2 + 1] = r * 0.1f + 1e-7f;
        }

        return new TabularData(x, 77, ["I", "V"], labels);
    }

    [Fact]
    public void Sampling_keeps_at_most_the_bound_per_class_all_of_a_small_class_no_unlabeled_rows_and_the_data_order()
    {
        var sample = TrainingSnapshot.Sample(Uneven(), 10, seed: 5);

        sample.Labels.Count(l => l == "C0").Should().Be(10);
        sample.Labels.Count(l => l == "C1").Should().Be(7);
        sample.Labels.Should().NotContainNulls();
        var ids = Enumerable.Range(0, sample.Rows).Select(r => sample.Row(r)[0]).ToList();
        ids.Should().BeInAscendingOrder();
        ids.Where(id => id >= 50).Should().Equal(50, 51, 52, 53, 54, 55, 56);
    }

    [Fact]
    public void The_same_seed_gives_the_same_snapshot_and_another_seed_another()
    {
        var a = TrainingSnapshot.Sample(Uneven(), 10, seed: 5);
        var b = TrainingSnapshot.Sample(Uneven(), 10, seed: 5);
        var c = TrainingSnapshot.Sample(Uneven(), 10, seed: 6);

        b.Features.Should().Equal(a.Features);
        c.Features.Should().NotEqual(a.Features);
    }

    [Fact]
    public void Only_the_named_classes_are_kept()
    {
        TrainingSnapshot.Sample(Uneven(), 100, seed: 1, classes: ["C1"]).Labels.Should().OnlyContain(l => l == "C1").And.HaveCount(7);
    }

    [Fact]
    public void Written_and_read_back_the_values_are_bit_identical()
    {
        var data = TrainingSnapshot.Sample(Uneven(), 100, seed: 1);
        using var stream = new MemoryStream();
        TrainingSnapshot.Write(stream, data);
        stream.Position = 0;

        var read = TrainingSnapshot.Read(stream, ["I", "V"]);

        read.Features.Should().Equal(data.Features);
        read.Labels.Should().Equal(data.Labels);
    }

    [Fact]
    public void Bytes_that_are_not_a_snapshot_are_a_data_format_error()
    {
        using var stream = new MemoryStream("I,V,label\n1,2,C0\n"u8.ToArray());

        var act = () => TrainingSnapshot.Read(stream, ["I", "V"]);

        act.Should().Throw<DataFormatException>().WithMessage("*gzip*");
    }

    [Fact]
    public void A_saved_model_keeps_its_snapshot_checksummed_and_a_damaged_one_is_refused_with_the_file_named()
    {
        var table = ModelLifecycleTests.Table(40, 3, 1);
        var model = QuickModel(table);
        var snapshot = TrainingSnapshot.Sample(table, 25, seed: 1);

        var manifest = ModelDirectory.Save(_dir, model, snapshot, 25);

        manifest.Snapshot.Should().Be(new SnapshotInfo(TrainingSnapshot.FileName, ModelDirectory.Sha256(Path.Combine(_dir, TrainingSnapshot.FileName)), 75, 25));
        var reread = ModelManifestFile.ReadFromDirectory(_dir);
        ModelDirectory.ReadSnapshot(_dir, reread)!.Features.Should().Equal(snapshot.Features);

        var file = Path.Combine(_dir, TrainingSnapshot.FileName);
        var bytes = File.ReadAllBytes(file);
        bytes[^5] ^= 0x10;
        File.WriteAllBytes(file, bytes);
        var act = () => ModelDirectory.ReadSnapshot(_dir, reread);
        act.Should().Throw<ModelFormatException>().WithMessage($"*{TrainingSnapshot.FileName}*SHA-256*");
    }

    [Fact]
    public void A_model_without_a_snapshot_gets_one_attached_without_its_weights_changing()
    {
        var table = ModelLifecycleTests.Table(30, 2, 4);
        var model = QuickModel(table);
        var saved = ModelDirectory.Save(_dir, model);
        saved.Snapshot.Should().BeNull();
        ModelDirectory.ReadSnapshot(_dir, saved).Should().BeNull();

        var attached = ModelDirectory.AttachSnapshot(_dir, TrainingSnapshot.Sample(table, 10, seed: 2), 10);

        attached.Snapshot!.Rows.Should().Be(20);
        attached.Weights.Should().Be(saved.Weights);
        ModelDirectory.Load(_dir).Manifest.Snapshot.Should().Be(attached.Snapshot);
        var wrong = new TabularData(new float[1], 1, ["I"], ["C0"]);
        var act = () => ModelDirectory.AttachSnapshot(_dir, wrong, 10);
        act.Should().Throw<ArgumentException>().WithMessage("*features*");
    }
}
