using System.Text.Json;
using System.Text.Json.Nodes;

namespace PvMonitor.Tests.Cli;

/// <summary><c>evaluate --score</c> and the worker's <c>Model:AnomalyScore</c> on a tiny SDGM trained through the CLI.</summary>
public sealed class AnomalyScoreOptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvmon-score-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(string Csv, string Model)> TinyModelAsync()
    {
        var csv = Path.Combine(_dir, "plant.csv");
        var model = Path.Combine(_dir, "sdgm");
        (await CliRunner.InProcessAsync("simulate", "--days", "1", "--out", csv, "--seed", "3")).Code.Should().Be(0);
        var train = await CliRunner.InProcessAsync("train", "--data", csv, "--out", model, "--epochs", "3", "--latent", "2,2");
        train.Code.Should().Be(0, train.Err);
        train.Out.Should().MatchRegex(@"per-score thresholds \(Model:AnomalyScore, evaluate --score\): elbo -?[\d.]+, iw-elbo -?[\d.]+, lk -?[\d.]+ nats");
        return (csv, model);
    }

    /// <summary>The model directory with only the ELBO threshold in its manifest, as models trained before per-score thresholds are.</summary>
    private static void DropPerScoreThresholds(string model)
    {
        var path = Path.Combine(model, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        manifest.Remove("thresholds").Should().BeTrue();
        File.WriteAllText(path, manifest.ToJsonString());
    }

    [Fact]
    public async Task Evaluate_flags_with_each_score_against_its_own_threshold()
    {
        var (csv, model) = await TinyModelAsync();
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "manifest.json")));
        var thresholds = manifest.RootElement.GetProperty("thresholds");
        foreach (var score in new[] { "elbo", "iw-elbo", "lk" })
        {
            var r = await CliRunner.InProcessAsync("evaluate", "--model", model, "--data", csv, "--score", score, "--json", "--unseen", "N");
            r.Code.Should().Be(0, r.Err);
            using var doc = JsonDocument.Parse(r.Out);
            var anomaly = doc.RootElement.GetProperty("anomaly");
            anomaly.GetProperty("score").GetString().Should().Be(score);
            anomaly.GetProperty("threshold").GetDouble().Should().BeApproximately(thresholds.GetProperty(score).GetProperty("value").GetDouble(), 1e-3, score);
            anomaly.GetProperty("auroc_unseen").GetDouble().Should().BeInRange(0, 1);
        }

        var text = await CliRunner.InProcessAsync("evaluate", "--model", model, "--data", csv, "--score", "lk");
        text.Out.Should().Contain("anomaly threshold (lk)");
        var bad = await CliRunner.InProcessAsync("evaluate", "--model", model, "--data", csv, "--score", "bits");
        bad.Code.Should().Be(2);
        bad.Err.Should().Contain("--score must be one of elbo, iw-elbo, lk");

        DropPerScoreThresholds(model);
        var old = await CliRunner.InProcessAsync("evaluate", "--model", model, "--data", csv, "--score", "lk");
        old.Code.Should().Be(2, old.Out);
        old.Err.Should().Contain("--score").And.Contain("no threshold for the anomaly score 'lk'");
        (await CliRunner.InProcessAsync("evaluate", "--model", model, "--data", csv, "--score", "elbo")).Code.Should().Be(0, "the legacy threshold is the ELBO's");
    }

    [Fact]
    public async Task Models_thresholds_adds_what_an_older_model_lacks_on_its_training_data()
    {
        var (csv, model) = await TinyModelAsync();
        double ThresholdOf(string score)
        {
            using var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "manifest.json")));
            return m.RootElement.GetProperty("thresholds").GetProperty(score).GetProperty("value").GetDouble();
        }

        var trained = (Elbo: ThresholdOf("elbo"), Lk: ThresholdOf("lk"), Iw: ThresholdOf("iw-elbo"));
        DropPerScoreThresholds(model);
        (await CliRunner.InProcessAsync("evaluate", "--model", model, "--data", csv, "--score", "lk")).Code.Should().Be(2);

        var other = Path.Combine(_dir, "other.csv");
        (await CliRunner.InProcessAsync("simulate", "--days", "1", "--out", other, "--seed", "4")).Code.Should().Be(0);
        var wrong = await CliRunner.InProcessAsync("models", "thresholds", model, "--data", other);
        wrong.Code.Should().Be(2, wrong.Err);
        wrong.Err.Should().Contain("--data").And.Contain("not this model's training data");

        var added = await CliRunner.InProcessAsync("models", "thresholds", model, "--data", csv);
        added.Code.Should().Be(0, added.Err);
        added.Out.Should().Contain("iw-elbo").And.Contain("lk");
        // The same rows (all of them: the day has fewer than 20,000) and the same seeded noise as training used.
        ThresholdOf("lk").Should().BeApproximately(trained.Lk, 1e-3);
        ThresholdOf("iw-elbo").Should().BeApproximately(trained.Iw, 1e-3);
        ThresholdOf("elbo").Should().Be(trained.Elbo, "the ELBO's threshold is kept as it was");
        var evaluate = await CliRunner.InProcessAsync("evaluate", "--model", model, "--data", csv, "--score", "lk", "--json");
        evaluate.Code.Should().Be(0, evaluate.Err);

        var again = await CliRunner.InProcessAsync("models", "thresholds", model, "--data", csv);
        again.Code.Should().Be(0, again.Err);
        again.Out.Should().Contain("nothing changed");
    }

    [Fact]
    public async Task The_worker_refuses_a_score_its_model_has_no_threshold_for_naming_the_key()
    {
        var (_, model) = await TinyModelAsync();
        DropPerScoreThresholds(model);
        var data = Path.Combine(_dir, "data");
        var r = await CliRunner.InProcessAsync("run", "--set", $"Model:Path={model}", "--set", $"Data:Path={data}", "--set", "Model:AnomalyScore=iw-elbo");
        r.Code.Should().Be(2, r.Err);
        r.Err.Should().Contain("Model:AnomalyScore").And.Contain("'iw-elbo'").And.Contain("no threshold");

        var unknown = await CliRunner.InProcessAsync("run", "--set", $"Model:Path={model}", "--set", $"Data:Path={data}", "--set", "Model:AnomalyScore=bits");
        unknown.Code.Should().Be(2);
        unknown.Err.Should().Contain("Model:AnomalyScore: 'bits' is not an anomaly score (elbo, iw-elbo, lk)");
    }
}
