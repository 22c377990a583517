using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using PvMonitor.Learning.Models;
using PvMonitor.Monitoring.Operations;

namespace PvMonitor.Monitoring.Tests.Operations;

public sealed class ModelRegistryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pvmon-registry-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A model directory: manifest + 64 bytes of "weights" whose SHA-256 the manifest records (no libtorch needed here).</summary>
    private string Model(string version, byte fill = 1)
    {
        var dir = Path.Combine(_dir, "src-" + version);
        Directory.CreateDirectory(dir);
        var weights = Enumerable.Repeat(fill, 64).Select(b => b).ToArray();
        File.WriteAllBytes(Path.Combine(dir, "weights.pt"), weights);
        var manifest = new ModelManifest
        {
            Kind = "sdgm",
            Version = version,
            Created = _time.GetUtcNow(),
            Features = ["I", "V", "G", "TExt", "TMod", "W"],
            Normalisation = new NormalisationInfo([0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]),
            Classes = ["N", "PS50"],
            Hyperparameters = new Dictionary<string, double>(),
            Seed = 1,
            TrainingDataHash = "none",
            Metrics = new Dictionary<string, double> { ["accuracy"] = 0.9 },
            Weights = new WeightsInfo("weights.pt", "pytorch-state-dict", Convert.ToHexStringLower(SHA256.HashData(weights))),
        };
        using (var stream = File.Create(Path.Combine(dir, ModelManifestFile.FileName))) ModelManifestFile.Write(stream, manifest);
        return dir;
    }

    private static RegistryRecord Record(DateTimeOffset added, string origin = "imported", string? parent = null) => new(origin, parent, null, null, null, added, null);

    [Fact]
    public void Added_versions_are_listed_in_order_and_one_is_active_after_activation()
    {
        var registry = new ModelRegistry(Path.Combine(_dir, "models"), _time);
        registry.List().Should().BeEmpty();
        registry.ActiveVersion.Should().BeNull();

        registry.Add(Model("v1"), Record(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromHours(1));
        registry.Add(Model("v2", 2), Record(_time.GetUtcNow(), "retrained", "v1"));
        registry.List().Select(e => e.Version).Should().Equal("v1", "v2");

        registry.SetActive("v2").IsActive.Should().BeTrue();
        registry.ActiveVersion.Should().Be("v2");
        var v2 = registry.Find("v2")!;
        (v2.Record.Origin, v2.Record.Parent, v2.Record.Activated).Should().Be(("retrained", "v1", _time.GetUtcNow()));
        registry.SetActive("v1");
        registry.List().Single(e => e.IsActive).Version.Should().Be("v1", "rollback");
        new ModelRegistry(registry.Root).ActiveVersion.Should().Be("v1", "the active version is on disk for the next start and for the CLI");
    }

    [Fact]
    public void A_version_is_never_overwritten_and_a_damaged_model_is_neither_added_nor_activated()
    {
        var registry = new ModelRegistry(Path.Combine(_dir, "models"), _time);
        registry.Add(Model("v1"), Record(_time.GetUtcNow()));
        var again = () => registry.Add(Model("v1-copy") is var d ? RenameVersion(d, "v1") : d, Record(_time.GetUtcNow()));
        again.Should().Throw<OperationRejectedException>().Which.Kind.Should().Be(RejectionKind.Conflict);

        var damaged = Model("v2");
        File.WriteAllBytes(Path.Combine(damaged, "weights.pt"), new byte[64]);
        var add = () => registry.Add(damaged, Record(_time.GetUtcNow()));
        add.Should().Throw<ModelFormatException>().WithMessage("*SHA-256*");
        registry.Find("v2").Should().BeNull();
        Directory.GetDirectories(registry.Root).Should().HaveCount(1, "no staging folder is left behind");

        registry.SetActive("v1");
        File.WriteAllBytes(Path.Combine(registry.PathOf("v1"), "weights.pt"), new byte[64]);
        var activate = () => registry.SetActive("v1");
        activate.Should().Throw<ModelFormatException>();
        var unknown = () => registry.SetActive("nope");
        unknown.Should().Throw<OperationRejectedException>().Which.Kind.Should().Be(RejectionKind.NotFound);
    }

    [Fact]
    public void Versions_that_cannot_name_a_folder_are_refused()
    {
        ModelRegistry.IsValidVersion("sdgm-20261203T092043Z-b7158b61-s42").Should().BeTrue();
        ModelRegistry.IsValidVersion("../etc").Should().BeFalse();
        ModelRegistry.IsValidVersion(".hidden").Should().BeFalse();
        ModelRegistry.IsValidVersion("a/b").Should().BeFalse();
        new ModelRegistry(Path.Combine(_dir, "models")).Find("../x").Should().BeNull();
    }

    private static string RenameVersion(string dir, string version)
    {
        var file = Path.Combine(dir, ModelManifestFile.FileName);
        ModelManifest manifest;
        using (var read = File.OpenRead(file)) manifest = ModelManifestFile.Read(read, file);
        using (var write = File.Create(file)) ModelManifestFile.Write(write, manifest with { Version = version });
        return dir;
    }
}
