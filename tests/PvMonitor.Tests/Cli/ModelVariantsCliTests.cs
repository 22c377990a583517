using System.Text.Json;
using PvMonitor.Learning.Models;

namespace PvMonitor.Tests.Cli;

/// <summary><c>train --model m2|adgm|cagem</c>, <c>--prior vamp --pseudo-inputs</c> and <c>--consistency</c> through the real CLI.</summary>
public sealed class ModelVariantsCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvmon-variants-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<string> Plant()
    {
        var csv = Path.Combine(_dir, "plant.csv");
        if (!File.Exists(csv)) (await CliRunner.InProcessAsync("simulate", "--days", "2", "--out", csv, "--seed", "4")).Code.Should().Be(0);
        return csv;
    }

    [Theory]
    [InlineData("m2", "standard")]
    [InlineData("adgm", "standard", "--consistency", "0.1")]
    [InlineData("cagem", "vamp", "--prior", "vamp", "--pseudo-inputs", "10", "--consistency", "0.1")]
    [InlineData("sdgm", "vamp", "--prior", "vamp", "--pseudo-inputs", "10")]
    public async Task Train_writes_a_loadable_model_whose_manifest_names_kind_and_prior(string kind, string prior, params string[] extra)
    {
        var csv = await Plant();
        var dir = Path.Combine(_dir, kind + prior);
        var train = await CliRunner.InProcessAsync(["train", "--data", csv, "--model", kind, "--out", dir, "--epochs", "2", "--features", "simple", .. extra]);
        train.Code.Should().Be(0, train.Err);
        train.Out.Should().Contain($"({kind}, {prior} prior)");

        using var model = (IDisposable)ModelDirectory.Load(dir);
        var loaded = (IConditionModel)model;
        loaded.HasElbo.Should().BeTrue();
        loaded.Manifest.Threshold.Should().NotBeNull();
        var show = await CliRunner.InProcessAsync("models", "show", dir);
        show.Code.Should().Be(0, show.Err);
        using var manifest = JsonDocument.Parse(show.Out);
        manifest.RootElement.GetProperty("kind").GetString().Should().Be(kind);
        manifest.RootElement.GetProperty("prior").GetString().Should().Be(prior);
        var hyper = manifest.RootElement.GetProperty("hyperparameters");
        if (prior == "vamp") hyper.GetProperty("pseudo_inputs").GetDouble().Should().Be(10);
        if (extra.Contains("--consistency")) hyper.GetProperty("consistency").GetDouble().Should().Be(0.1);
    }

    [Theory]
    [InlineData("--model", "--model", "m3")]
    [InlineData("--prior", "--model", "m2", "--prior", "vamp")]
    [InlineData("--prior", "--model", "sdgm", "--prior", "flat")]
    [InlineData("--pseudo-inputs", "--pseudo-inputs", "10")]
    [InlineData("--pseudo-inputs", "--prior", "vamp", "--pseudo-inputs", "0")]
    [InlineData("--consistency", "--consistency", "-1")]
    [InlineData("--consistency", "--model", "mlp", "--consistency", "0.5")]
    [InlineData("--labels-per-class", "--model", "sdgm", "--labels-per-class", "0")]
    public async Task An_invalid_variant_option_exits_2_naming_it(string named, params string[] args)
    {
        var r = await CliRunner.InProcessAsync(["train", "--data", Path.Combine(_dir, "none.csv"), "--out", Path.Combine(_dir, "m"), .. args]);
        r.Code.Should().Be(2, r.Err);
        r.Err.Should().Contain(named).And.NotContain("System.");
    }

    [Fact]
    public async Task A_cagem_trains_with_no_labels_at_all()
    {
        var csv = await Plant();
        var dir = Path.Combine(_dir, "clusters");
        var train = await CliRunner.InProcessAsync("train", "--data", csv, "--model", "cagem", "--labels-per-class", "0", "--out", dir, "--epochs", "2", "--features", "simple");
        train.Code.Should().Be(0, train.Err);
        using var model = (IDisposable)ModelDirectory.Load(dir);
        ((IConditionModel)model).Manifest.Metrics["labeled_rows"].Should().Be(0);
    }
}
