using System.Text.Json.Nodes;
using PvMonitor.Monitoring.Operations;

namespace PvMonitor.Tests.Cli;

/// <summary><c>pvmonitor models list|show|activate</c> work offline on the registry the worker writes.</summary>
public sealed class ModelRegistryCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pvmon-models-cli-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private ModelRegistry RegistryWith(params string[] versions)
    {
        var registry = new ModelRegistry(Path.Combine(_dir, "data", "models"));
        var shipped = Path.Combine(CliRunner.RepositoryRoot(), "models", "default");
        foreach (var version in versions)
        {
            var copy = Path.Combine(_dir, "incoming-" + version);
            Directory.CreateDirectory(copy);
            foreach (var file in Directory.GetFiles(shipped)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            var manifestFile = Path.Combine(copy, "manifest.json");
            var manifest = JsonNode.Parse(File.ReadAllText(manifestFile))!;
            manifest["version"] = version;
            File.WriteAllText(manifestFile, manifest.ToJsonString());
            registry.Add(copy, new RegistryRecord(version == versions[0] ? "imported" : "retrained", version == versions[0] ? null : versions[0], null, null, null,
                DateTimeOffset.UtcNow.AddMinutes(Array.IndexOf(versions, version)), null));
        }

        return registry;
    }

    [Fact]
    public async Task Show_prints_a_registry_versions_manifest_and_record_and_still_reads_a_model_directory()
    {
        var registry = RegistryWith("v1", "v2");
        registry.SetActive("v2");

        var (code, output, error) = await CliRunner.InProcessAsync("models", "show", "v2", "--registry", registry.Root);

        code.Should().Be(0, error);
        var shown = JsonNode.Parse(output)!;
        shown["manifest"]!["version"]!.GetValue<string>().Should().Be("v2");
        shown["manifest"]!["snapshot"]!["rows"]!.GetValue<int>().Should().Be(20_000);
        (shown["registry"]!["origin"]!.GetValue<string>(), shown["registry"]!["parent"]!.GetValue<string>()).Should().Be(("retrained", "v1"));
        shown["active"]!.GetValue<bool>().Should().BeTrue();

        var directory = await CliRunner.InProcessAsync("models", "show", registry.PathOf("v1"));
        directory.Code.Should().Be(0, directory.Err);
        JsonNode.Parse(directory.Out)!["version"]!.GetValue<string>().Should().Be("v1");
        var missing = await CliRunner.InProcessAsync("models", "show", "v9", "--registry", registry.Root);
        missing.Code.Should().Be(2);
        missing.Err.Should().Contain("v9").And.Contain("does not exist");
    }

    [Fact]
    public async Task List_shows_every_version_and_marks_the_active_one()
    {
        var registry = RegistryWith("v1", "v2");
        registry.SetActive("v2");

        var (code, output, error) = await CliRunner.InProcessAsync("models", "list", "--registry", registry.Root);

        code.Should().Be(0, error);
        var lines = output.Split('\n');
        lines.Should().Contain(l => l.Contains(" v1 ") && l.Contains("imported") && !l.TrimStart().StartsWith('*'));
        lines.Should().Contain(l => l.TrimStart().StartsWith("* v2") && l.Contains("retrained"));
    }

    [Fact]
    public async Task Activate_switches_the_active_version_found_through_data_path_and_refuses_unknown_or_damaged_ones()
    {
        var registry = RegistryWith("v1", "v2");
        registry.SetActive("v1");

        var ok = await CliRunner.InProcessAsync("models", "activate", "v2", "--set", $"Data:Path={Path.Combine(_dir, "data")}");
        ok.Code.Should().Be(0, ok.Err);
        registry.ActiveVersion.Should().Be("v2");

        var unknown = await CliRunner.InProcessAsync("models", "activate", "nope", "--registry", registry.Root);
        (unknown.Code, unknown.Err).Should().Match<(int, string)>(r => r.Item1 == 2 && r.Item2.Contains("No model version nope"));

        var weights = Path.Combine(registry.PathOf("v1"), "weights.pt");
        var bytes = File.ReadAllBytes(weights);
        bytes[^10] ^= 0x5A;
        File.WriteAllBytes(weights, bytes);
        var damaged = await CliRunner.InProcessAsync("models", "activate", "v1", "--registry", registry.Root);
        damaged.Code.Should().Be(1);
        damaged.Err.Should().Contain("Refused").And.Contain("SHA-256");
        registry.ActiveVersion.Should().Be("v2", "the active version stays");
    }

    [Fact]
    public async Task An_empty_registry_says_where_models_will_appear()
    {
        var (code, output, _) = await CliRunner.InProcessAsync("models", "list", "--registry", Path.Combine(_dir, "empty"));
        code.Should().Be(0);
        output.Should().Contain("No models in").And.Contain("Model:Path");
    }
}
