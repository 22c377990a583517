using System.Text.Json;
using System.Xml.Linq;

namespace PvMonitor.Tests.Cli;

/// <summary><c>experiment variants</c> through the real CLI on a tiny simulated plant.</summary>
public sealed class ExperimentVariantsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvmon-variants-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<string> TinyCsvAsync()
    {
        var csv = Path.Combine(_dir, "plant.csv");
        var simulate = await CliRunner.InProcessAsync("simulate", "--days", "1", "--out", csv, "--seed", "7"); // 250 rows, ten conditions
        simulate.Code.Should().Be(0, simulate.Err);
        return csv;
    }

    [Fact]
    public async Task A_quick_run_writes_a_report_with_mean_and_std_figures_and_a_recommendation()
    {
        var csv = await TinyCsvAsync();
        var report = Path.Combine(_dir, "report");

        var r = await CliRunner.InProcessAsync("experiment", "variants", "--data", csv, "--out", report, "--seeds", "2", "--epochs", "2",
            "--labels", "10,all", "--holdout", "PS7", "--models", "sdgm,mlp,mlr");

        r.Code.Should().Be(0, r.Err);
        r.Err.Should().Contain("experiment variants:");
        r.Out.Should().Contain("Best model by mean accuracy:").And.Contain("Best anomaly score by mean AUROC:");
        var md = File.ReadAllText(Path.Combine(report, "report.md"));
        md.Should().Contain("## Recommendation").And.Contain("**Best model by mean accuracy:");
        md.Should().Contain("| model | inputs | 10 | all |").And.Contain("| sdgm | simple |").And.Contain("| mlr | complex |");
        md.Should().MatchRegex(@"\| sdgm \| complex \| \d+\.\d ± \d+\.\d % \|");
        md.Should().MatchRegex(@"\| sdgm \| lk \| \d\.\d{3} ± \d\.\d{3} \| \d\.\d{3} \|");
        md.Should().Contain("mlp, mlr: no anomaly score").And.NotContain("| mlp | elbo |");
        md.Should().Contain("## Training time per epoch");
        foreach (var figure in new[] { "accuracy-vs-labels-simple.svg", "accuracy-vs-labels-complex.svg", "auroc-per-score.svg" })
            md.Should().Contain($"]({figure})", figure);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var bars = XDocument.Load(Path.Combine(report, "auroc-per-score.svg")).Descendants(ns + "rect").Count(e => (string?)e.Attribute("class") == "bar");
        bars.Should().Be(3, "one bar per score for the one model with an ELBO");
        var accuracyTicks = XDocument.Load(Path.Combine(report, "accuracy-vs-labels-complex.svg")).Descendants(ns + "text")
            .Where(e => (string?)e.Attribute("class") == "tick-x").Select(e => e.Value);
        accuracyTicks.Should().Equal("10", "all");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "results.json")));
        var results = json.RootElement.GetProperty("results");
        results.GetProperty("Accuracy").GetArrayLength().Should().Be(3 * 2 * 2);
        results.GetProperty("Accuracy")[0].GetProperty("Accuracies").GetArrayLength().Should().Be(2, "one value per seed");
    }

    [Fact]
    public async Task Models_without_an_elbo_get_no_auroc_and_no_score_is_recommended()
    {
        var csv = await TinyCsvAsync();
        var report = Path.Combine(_dir, "report");

        var r = await CliRunner.InProcessAsync("experiment", "variants", "--data", csv, "--out", report, "--seeds", "1", "--epochs", "1", "--models", "mlr");

        r.Code.Should().Be(0, r.Err);
        var md = File.ReadAllText(Path.Combine(report, "report.md"));
        md.Should().Contain("**Best model by mean accuracy: mlr**").And.Contain("so no score is recommended");
        md.Should().Contain("mlr: no anomaly score (no ELBO), so no AUROC row.").And.NotContain("| model | score | AUROC |");
        File.Exists(Path.Combine(report, "auroc-per-score.svg")).Should().BeFalse();
    }

    [Theory]
    [InlineData("--models", "sdgm,cnn", "--models: unknown model kind(s) 'cnn'")]
    [InlineData("--scores", "elbo,bits", "--scores: unknown anomaly score(s) 'bits'")]
    [InlineData("--labels", "10,0", "--labels must list positive counts")]
    [InlineData("--seeds", "0", "--seeds must be 1–100")]
    [InlineData("--epochs", "0", "--epochs must be")]
    [InlineData("--rows", "5", "--rows must be 0 (all) or at least 10")]
    [InlineData("--holdout", "XX", "--holdout: XX has no rows in the data")]
    public async Task Bad_options_exit_2_naming_the_option(string option, string value, string message)
    {
        var csv = await TinyCsvAsync();

        var r = await CliRunner.InProcessAsync("experiment", "variants", "--data", csv, "--out", Path.Combine(_dir, "report"), option, value);

        r.Code.Should().Be(2, r.Out);
        r.Err.Should().Contain(message);
        File.Exists(Path.Combine(_dir, "report", "report.md")).Should().BeFalse();
    }
}
