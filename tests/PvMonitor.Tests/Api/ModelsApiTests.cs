using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PvMonitor.Hosting;
using PvMonitor.Monitoring.Operations;
using PvMonitor.Monitoring.Pipeline;

namespace PvMonitor.Tests.Api;

/// <summary>The model registry through the API of the running host: first start, activation (hot swap), rollback, refusals.</summary>
public sealed class ModelsApiTests
{
    /// <summary>A copy of the shipped model under another version (same weights, so it loads).</summary>
    private static string CopyOfShippedModel(WorkerFactory factory, string version)
    {
        var source = factory.Services.GetRequiredService<ModelHost>().Current.Path;
        var dir = Path.Combine(factory.Data, "incoming-" + version);
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        var manifestFile = Path.Combine(dir, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestFile))!;
        manifest["version"] = version;
        File.WriteAllText(manifestFile, manifest.ToJsonString());
        return dir;
    }

    [Fact]
    public async Task The_first_start_registers_the_configured_model_and_activation_swaps_and_rolls_back_with_an_audit_trail()
    {
        using var factory = new WorkerFactory();
        using var client = factory.CreateClient();
        var list = await client.GetFromJsonAsync<JsonElement>("/api/models");
        var shipped = list.GetProperty("active").GetString()!;
        list.GetProperty("versions").EnumerateArray().Should().ContainSingle()
            .Which.GetProperty("origin").GetString().Should().Be("imported");
        list.GetProperty("registry").GetString().Should().Be(Path.Combine(factory.Data, "models"));

        var registry = factory.Services.GetRequiredService<ModelRegistry>();
        registry.Add(CopyOfShippedModel(factory, "retrained-1"), new RegistryRecord("retrained", shipped, "accepted", "test", null, DateTimeOffset.UtcNow, null));
        var activate = await client.PostAsync("/api/models/retrained-1/activate", null);
        activate.StatusCode.Should().Be(HttpStatusCode.OK);
        (await activate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("active").GetBoolean().Should().BeTrue();

        factory.Services.GetRequiredService<MonitoringPipeline>().Scorer.ModelVersion.Should().Be("retrained-1", "the pipeline scores with the activated model");
        (await client.GetFromJsonAsync<JsonElement>("/api/overview")).GetProperty("model").GetProperty("version").GetString().Should().Be("retrained-1");
        var detail = await client.GetFromJsonAsync<JsonElement>("/api/models/retrained-1");
        (detail.GetProperty("parent").GetString(), detail.GetProperty("gate").GetString()).Should().Be((shipped, "accepted"));

        (await client.PostAsync($"/api/models/{shipped}/activate", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        factory.Services.GetRequiredService<MonitoringPipeline>().Scorer.ModelVersion.Should().Be(shipped, "rollback");
        var audit = await client.GetFromJsonAsync<JsonElement>("/api/audit");
        audit.EnumerateArray().Select(a => a.GetProperty("detail").GetString()).Should().StartWith([$"{shipped} (was retrained-1)", $"retrained-1 (was {shipped})"]);
    }

    [Fact]
    public async Task A_damaged_version_is_refused_and_the_active_model_stays()
    {
        using var factory = new WorkerFactory();
        using var client = factory.CreateClient();
        var registry = factory.Services.GetRequiredService<ModelRegistry>();
        var active = registry.ActiveVersion;
        registry.Add(CopyOfShippedModel(factory, "damaged-1"), new RegistryRecord("retrained", active, "accepted", null, null, DateTimeOffset.UtcNow, null));
        var weights = Path.Combine(registry.PathOf("damaged-1"), "weights.pt");
        var bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);

        var refused = await client.PostAsync("/api/models/damaged-1/activate", null);
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().Should().Contain("SHA-256").And.Contain($"stays {active}");
        registry.ActiveVersion.Should().Be(active);
        factory.Services.GetRequiredService<MonitoringPipeline>().Scorer.ModelVersion.Should().Be(active);

        (await client.PostAsync("/api/models/nope/activate", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("/api/models/nope")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_shipped_models_training_snapshot_travels_into_the_registry_and_its_latent_map_shows_every_condition()
    {
        using var factory = new WorkerFactory();
        using var client = factory.CreateClient();
        var active = factory.Services.GetRequiredService<ModelRegistry>().Find(factory.Services.GetRequiredService<ModelHost>().Current.Manifest.Version)!;
        active.Manifest.Snapshot!.Rows.Should().Be(20_000);
        File.Exists(Path.Combine(active.Path, active.Manifest.Snapshot.File)).Should().BeTrue();
        (await client.GetFromJsonAsync<JsonElement>($"/api/models/{active.Version}")).GetProperty("snapshotRows").GetInt32().Should().Be(20_000);

        var map = await client.GetFromJsonAsync<JsonElement>($"/api/models/{active.Version}/latent?rows=500");
        var points = map.GetProperty("points").EnumerateArray().ToList();
        points.Should().HaveCount(500, "50 rows of each of the ten conditions");
        points.Select(p => p.GetProperty("label").GetString()).Distinct().Should().BeEquivalentTo(active.Manifest.Classes);
        var explained = map.GetProperty("explained").EnumerateArray().Select(e => e.GetDouble()).ToList();
        explained.Should().HaveCount(2);
        explained[0].Should().BeGreaterThanOrEqualTo(explained[1]).And.BeLessThanOrEqualTo(1);
        (explained[0] + explained[1]).Should().BeGreaterThan(0.3, "two components of an 8-dimensional latent carry a fair share of its variance");

        (await client.GetAsync($"/api/models/{active.Version}/latent?rows=3")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync("/api/models/nope/latent")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_registry_copy_without_a_snapshot_adopts_the_configured_models_and_a_damaged_snapshot_is_refused()
    {
        var data = Path.Combine(Path.GetTempPath(), "pvmon-adopt-" + Guid.NewGuid().ToString("N")[..8]);
        string version;
        try
        {
            using (var first = new WorkerFactory(("Data:Path", data)))
            {
                using var client = first.CreateClient();
                var entry = first.Services.GetRequiredService<ModelRegistry>().Find(first.Services.GetRequiredService<ModelHost>().Current.Manifest.Version)!;
                version = entry.Version;
                // Make the registered copy look like one imported before snapshots were kept.
                File.Delete(Path.Combine(entry.Path, entry.Manifest.Snapshot!.File));
                var manifestFile = Path.Combine(entry.Path, "manifest.json");
                var manifest = JsonNode.Parse(File.ReadAllText(manifestFile))!.AsObject();
                manifest.Remove("snapshot");
                File.WriteAllText(manifestFile, manifest.ToJsonString());
            }

            using (var second = new WorkerFactory(("Data:Path", data)))
            {
                using var client = second.CreateClient();
                var entry = second.Services.GetRequiredService<ModelRegistry>().Find(version)!;
                entry.Manifest.Snapshot!.Rows.Should().Be(20_000);
                second.Services.GetRequiredService<ModelRegistry>().Verify(version);

                var file = Path.Combine(entry.Path, entry.Manifest.Snapshot.File);
                var bytes = File.ReadAllBytes(file);
                bytes[bytes.Length / 2] ^= 0xFF;
                File.WriteAllBytes(file, bytes);
                var verify = () => second.Services.GetRequiredService<ModelRegistry>().Verify(version);
                verify.Should().Throw<PvMonitor.Learning.Models.ModelFormatException>().WithMessage("*training-snapshot.csv.gz*SHA-256*");
                (await client.GetAsync($"/api/models/{version}/latent")).StatusCode.Should().Be(HttpStatusCode.Conflict);
            }
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }
}
