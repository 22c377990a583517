using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PvMonitor.Learning.Models;
using PvMonitor.Monitoring.Operations;
using PvMonitor.Monitoring.Pipeline;
using PvMonitor.Tests.Api;
using PvMonitor.Tests.Cli;

namespace PvMonitor.Tests.Hosting;

/// <summary><c>Model:AnomalyScore</c> in the running worker: a calibrated score flags, an activation without its threshold is refused.</summary>
public sealed class AnomalyScoreWorkerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvmon-score-worker-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_worker_flags_with_the_configured_score_and_refuses_to_activate_a_model_without_its_threshold()
    {
        var csv = Path.Combine(_dir, "plant.csv");
        var model = Path.Combine(_dir, "sdgm");
        (await CliRunner.InProcessAsync("simulate", "--days", "1", "--out", csv, "--seed", "5")).Code.Should().Be(0);
        var train = await CliRunner.InProcessAsync("train", "--data", csv, "--out", model, "--epochs", "2", "--latent", "2,2");
        train.Code.Should().Be(0, train.Err);
        var lk = ModelManifestFile.ReadFromDirectory(model).ThresholdOf(AnomalyScore.Lk)!.Value;

        using var factory = new WorkerFactory(("Model:Path", model), ("Model:AnomalyScore", "lk"));
        using var client = factory.CreateClient();
        var scorer = factory.Services.GetRequiredService<MonitoringPipeline>().Scorer;
        (scorer.AnomalyScore, scorer.Threshold).Should().Be((AnomalyScore.Lk, lk));

        // The same model without per-score thresholds, as models trained before them are.
        var old = Path.Combine(_dir, "old");
        Directory.CreateDirectory(old);
        foreach (var file in Directory.GetFiles(model)) File.Copy(file, Path.Combine(old, Path.GetFileName(file)));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(old, "manifest.json")))!.AsObject();
        manifest["version"] = "old-1";
        manifest.Remove("thresholds");
        File.WriteAllText(Path.Combine(old, "manifest.json"), manifest.ToJsonString());
        var registry = factory.Services.GetRequiredService<ModelRegistry>();
        var active = registry.ActiveVersion;
        registry.Add(old, new RegistryRecord("imported", null, null, "test", null, DateTimeOffset.UtcNow, null));

        var refused = await client.PostAsync("/api/models/old-1/activate", null);

        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()
            .Should().Contain("Model:AnomalyScore is 'lk'").And.Contain("no threshold").And.Contain($"stays {active}");
        registry.ActiveVersion.Should().Be(active);
        factory.Services.GetRequiredService<MonitoringPipeline>().Scorer.AnomalyScore.Should().Be(AnomalyScore.Lk);
    }
}
