using System.Text.Json;
using PvMonitor.Learning.Models;

namespace PvMonitor.Tests.Cli;

/// <summary>simulate → train → evaluate → models show through the real CLI, on a small simulated plant.</summary>
public sealed class ModelWorkflowTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"pvmon-cli-{Guid.NewGuid():N}");

    public ModelWorkflowTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Simulate_writes_the_documented_header_and_is_deterministic_per_seed()
    {
        var a = Path.Combine(_dir, "a.csv");
        var b = Path.Combine(_dir, "b.csv");
        (await CliRunner.InProcessAsync("simulate", "--days", "2", "--out", a, "--seed", "5")).Code.Should().Be(0);
        (await CliRunner.InProcessAsync("simulate", "--days", "2", "--out", b, "--seed", "5")).Code.Should().Be(0);
        var lines = File.ReadAllLines(a);
        lines[0].Should().Be("time,plant,string,I,V,G,TExt,TMod,W,label");
        lines.Length.Should().BeGreaterThan(100);
        File.ReadAllBytes(b).Should().Equal(File.ReadAllBytes(a));
    }

    [Fact]
    public async Task Train_evaluate_and_show_a_model()
    {
        var csv = Path.Combine(_dir, "plant.csv");
        var model = Path.Combine(_dir, "mlr");
        (await CliRunner.InProcessAsync("simulate", "--days", "6", "--out", csv, "--seed", "3")).Code.Should().Be(0);
        var train = await CliRunner.InProcessAsync("train", "--data", csv, "--model", "mlr", "--out", model, "--epochs", "5", "--features", "simple");
        train.Code.Should().Be(0, train.Err);
        train.Out.Should().Contain("written to");

        var eval = await CliRunner.InProcessAsync("evaluate", "--model", model, "--data", csv, "--json");
        eval.Code.Should().Be(0, eval.Err);
        using var doc = JsonDocument.Parse(eval.Out);
        var root = doc.RootElement;
        foreach (var key in new[] { "accuracy", "macro_f1", "per_class", "confusion", "samples_per_second" })
            root.TryGetProperty(key, out _).Should().BeTrue(key);
        root.GetProperty("accuracy").GetDouble().Should().BeInRange(0.2, 1.0);
        root.GetProperty("confusion").GetProperty("labels").GetArrayLength().Should().Be(root.GetProperty("per_class").EnumerateObject().Count());

        var show = await CliRunner.InProcessAsync("models", "show", model);
        show.Code.Should().Be(0);
        using var manifest = JsonDocument.Parse(show.Out);
        manifest.RootElement.GetProperty("kind").GetString().Should().Be("mlr");
        manifest.RootElement.GetProperty("features").EnumerateArray().Select(e => e.GetString()).Should().Equal("I", "V");
        manifest.RootElement.GetProperty("trainingDataHash").GetString().Should().HaveLength(64);
    }

    [Fact]
    public async Task Train_keeps_a_training_snapshot_and_models_snapshot_adds_one_only_from_the_models_own_training_data()
    {
        var csv = Path.Combine(_dir, "plant.csv");
        var other = Path.Combine(_dir, "other.csv");
        (await CliRunner.InProcessAsync("simulate", "--days", "4", "--out", csv, "--seed", "3")).Code.Should().Be(0);
        (await CliRunner.InProcessAsync("simulate", "--days", "4", "--out", other, "--seed", "4")).Code.Should().Be(0);
        var model = Path.Combine(_dir, "m");
        var train = await CliRunner.InProcessAsync("train", "--data", csv, "--model", "mlr", "--out", model, "--epochs", "2", "--snapshot-rows-per-class", "30");
        train.Code.Should().Be(0, train.Err);
        var manifest = ModelManifestFile.ReadFromDirectory(model);
        var snapshot = ModelDirectory.ReadSnapshot(model, manifest)!;
        snapshot.DistinctLabels().Should().BeEquivalentTo(manifest.Classes);
        snapshot.Labels.GroupBy(l => l).Should().OnlyContain(g => g.Count() <= 30);

        var bare = Path.Combine(_dir, "bare");
        (await CliRunner.InProcessAsync("train", "--data", csv, "--model", "mlr", "--out", bare, "--epochs", "2", "--snapshot-rows-per-class", "0")).Code.Should().Be(0);
        ModelManifestFile.ReadFromDirectory(bare).Snapshot.Should().BeNull();

        var wrong = await CliRunner.InProcessAsync("models", "snapshot", bare, "--data", other);
        wrong.Code.Should().Be(2, wrong.Err);
        wrong.Err.Should().Contain("--data").And.Contain("not this model's training data");
        ModelManifestFile.ReadFromDirectory(bare).Snapshot.Should().BeNull();

        var added = await CliRunner.InProcessAsync("models", "snapshot", bare, "--data", csv, "--rows-per-class", "30", "--seed", "1");
        added.Code.Should().Be(0, added.Err);
        added.Out.Should().Contain("written to");
        ModelDirectory.ReadSnapshot(bare, ModelManifestFile.ReadFromDirectory(bare))!.Features.Should().Equal(snapshot.Features, "the same data, bound and seed give the same snapshot");
    }

    [Fact]
    public async Task Train_with_the_paper_preset_records_the_papers_settings_and_flags_override_it()
    {
        var csv = Path.Combine(_dir, "plant.csv");
        (await CliRunner.InProcessAsync("simulate", "--days", "2", "--out", csv, "--seed", "4")).Code.Should().Be(0);
        var paper = Path.Combine(_dir, "paper");
        var r = await CliRunner.InProcessAsync("train", "--data", csv, "--out", paper, "--preset", "paper", "--epochs", "2", "--beta", "0.5");
        r.Code.Should().Be(0, r.Err);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(paper, "manifest.json")));
        var h = doc.RootElement.GetProperty("hyperparameters");
        h.GetProperty("learning_rate").GetDouble().Should().BeApproximately(3e-4, 1e-9);
        h.GetProperty("beta").GetDouble().Should().Be(0.5, "an explicit flag overrides the preset");
        h.GetProperty("patience").GetDouble().Should().Be(20);
        doc.RootElement.GetProperty("normalisation").GetProperty("method").GetString().Should().Be("standard");

        var defaults = Path.Combine(_dir, "default");
        r = await CliRunner.InProcessAsync("train", "--data", csv, "--out", defaults, "--epochs", "2");
        r.Code.Should().Be(0, r.Err);
        using var d = JsonDocument.Parse(File.ReadAllText(Path.Combine(defaults, "manifest.json")));
        d.RootElement.GetProperty("hyperparameters").GetProperty("learning_rate").GetDouble().Should().BeApproximately(1e-3, 1e-9);
        d.RootElement.GetProperty("normalisation").GetProperty("method").GetString().Should().Be("robust");
    }

    [Fact]
    public async Task Train_tune_records_its_search_and_bad_budgets_or_presets_are_usage_errors()
    {
        var csv = Path.Combine(_dir, "plant.csv");
        (await CliRunner.InProcessAsync("simulate", "--days", "2", "--out", csv, "--seed", "4")).Code.Should().Be(0);
        var model = Path.Combine(_dir, "tuned");
        var r = await CliRunner.InProcessAsync("train", "--data", csv, "--out", model, "--model", "mlr", "--tune", "20s", "--epochs", "3");
        r.Code.Should().Be(0, r.Err);
        r.Out.Should().Contain("tuned in").And.Contain("chose");
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "manifest.json")));
        doc.RootElement.GetProperty("tuning").GetProperty("candidates")[0].GetProperty("name").GetString().Should().Be("default");

        foreach (var (flag, value) in new[] { ("--tune", "soon"), ("--tune", "0s"), ("--preset", "fast") })
        {
            var bad = await CliRunner.InProcessAsync("train", "--data", csv, "--out", model, flag, value);
            bad.Code.Should().Be(2, $"{flag} {value}");
            bad.Err.Should().Contain(flag);
        }
    }

    [Fact]
    public async Task Train_names_a_missing_feature_column_and_a_missing_file()
    {
        var csv = Path.Combine(_dir, "x.csv");
        File.WriteAllText(csv, "time,I,V,label\n2026-01-01T00:00:00Z,1,2,N\n");
        var r = await CliRunner.InProcessAsync("train", "--data", csv, "--out", Path.Combine(_dir, "m"));
        r.Code.Should().Be(1);
        r.Err.Should().Contain("'G'");
        var missing = await CliRunner.InProcessAsync("train", "--data", Path.Combine(_dir, "nope.csv"), "--out", Path.Combine(_dir, "m"));
        missing.Code.Should().Be(2);
        missing.Err.Should().Contain("nope.csv");
    }

    [Fact]
    public async Task Evaluate_rejects_a_corrupted_model_clearly()
    {
        var csv = Path.Combine(_dir, "plant.csv");
        var model = Path.Combine(_dir, "mlr");
        (await CliRunner.InProcessAsync("simulate", "--days", "2", "--out", csv)).Code.Should().Be(0);
        (await CliRunner.InProcessAsync("train", "--data", csv, "--model", "mlr", "--out", model, "--epochs", "2")).Code.Should().Be(0);
        var weights = Path.Combine(model, "weights.pt");
        var bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        var r = await CliRunner.InProcessAsync("evaluate", "--model", model, "--data", csv);
        r.Code.Should().Be(1);
        r.Err.Should().Contain("weights.pt").And.Contain("SHA-256");
    }

    [Fact]
    public async Task Asking_for_cuda_where_there_is_none_is_a_usage_error_naming_the_option()
    {
        var csv = Path.Combine(_dir, "plant.csv");
        (await CliRunner.InProcessAsync("simulate", "--days", "1", "--out", csv)).Code.Should().Be(0);
        var bad = await CliRunner.InProcessAsync("evaluate", "--model", "x", "--data", csv, "--threads", "0");
        bad.Code.Should().Be(2);
        bad.Err.Should().Contain("--threads");
        var unknown = await CliRunner.InProcessAsync("train", "--data", csv, "--out", Path.Combine(_dir, "m"), "--device", "gpu");
        unknown.Code.Should().Be(2, unknown.Err);
        unknown.Err.Should().Contain("--device: 'gpu' is not a device");
        if (Learning.Torch.TorchRuntime.CudaAvailable) return; // on a GPU machine cuda is a valid choice; the rest is CPU-only
        var r = await CliRunner.InProcessAsync("train", "--data", csv, "--out", Path.Combine(_dir, "m"), "--device", "cuda");
        r.Code.Should().Be(2, r.Err);
        r.Err.Trim().Should().StartWith("pvmonitor: --device: 'cuda' asks for CUDA").And.NotContain("   at ");
        Directory.Exists(Path.Combine(_dir, "m")).Should().BeFalse();
    }

    [Fact]
    public async Task Where_libtorch_cannot_load_train_exits_1_with_one_clear_line()
    {
        // A copy of the build output whose libLibTorchSharp.so is not a library, and no NuGet cache to fall back to. The host
        // resolves a symlinked app to its real folder, so managed files are copied; only the big native files are linked.
        var install = Path.Combine(_dir, "install");
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(install, Path.GetRelativePath(AppContext.BaseDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (Path.GetFileName(file) == "libLibTorchSharp.so") File.WriteAllText(target, "not a shared library");
            else if (new FileInfo(file).Length > 8_000_000) File.CreateSymbolicLink(target, file);
            else File.Copy(file, target);
        }

        var csv = Path.Combine(_dir, "plant.csv");
        (await CliRunner.InProcessAsync("simulate", "--days", "1", "--out", csv)).Code.Should().Be(0);
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "no-nuget")).FullName;
        var r = await CliRunner.ProcessWithDllAsync(new Dictionary<string, string> { ["NUGET_PACKAGES"] = empty },
            Path.Combine(install, "pvmonitor.dll"), "train", "--data", csv, "--out", Path.Combine(_dir, "m"));
        r.Code.Should().Be(1, r.Err);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle().Which.Should().StartWith("pvmonitor: libtorch could not be loaded");
        r.Err.Should().NotContain("   at ").And.NotContain("Unhandled exception");
    }
}
