using PvMonitor.Testing;

namespace PvMonitor.Tests.Cli;

/// <summary>Relative paths resolve where the user ran the command, and the binary brings the shipped model wherever it goes.</summary>
public sealed class WorkingDirectoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvmon-cwd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Dotnet_run_writes_relative_outputs_where_the_user_ran_it_not_in_the_source_tree()
    {
        var work = Directory.CreateDirectory(Path.Combine(_dir, "work")).FullName;
        var project = Path.Combine(CliRunner.RepositoryRoot(), "src", "PvMonitor");
        var name = $"cwd-test-{Guid.NewGuid():N}.csv";
        var r = await CliRunner.RunAsync("dotnet", ["run", "--project", project, "-c", CliRunner.Configuration, "--no-build", "--",
            "simulate", "--days", "1", "--out", name], work, timeout: TimeSpan.FromMinutes(2));
        r.Code.Should().Be(0, r.Err);
        File.Exists(Path.Combine(work, name)).Should().BeTrue(r.Out);
        File.Exists(Path.Combine(project, name)).Should().BeFalse();
    }

    [Fact]
    public async Task The_build_output_carries_the_shipped_model_so_the_demo_runs_outside_the_repository()
    {
        var dll = CliRunner.CopyBuildOutput(Path.Combine(_dir, "install"));
        var work = Directory.CreateDirectory(Path.Combine(_dir, "work")).FullName;
        var port = ExternalProgram.FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var demo = await CliRunner.RunAsync("dotnet", [dll, "demo", "--minutes", "0.1", "--port", port], work, timeout: TimeSpan.FromMinutes(2));
        demo.Code.Should().Be(0, demo.Err);
        Directory.Exists(Path.Combine(work, "data")).Should().BeTrue("Data:Path is relative to the working directory");
        // Model:Path's model (found in the build output) is imported into the registry under Data:Path and scored from there.
        var records = Directory.GetFiles(Path.Combine(work, "data", "models"), "registry.json", SearchOption.AllDirectories);
        File.ReadAllText(records.Should().ContainSingle().Subject).Should().Contain(Path.Combine(_dir, "install", "models", "default"));
        demo.Out.Should().Contain($"from {Path.Combine(work, "data", "models")}");

        var show = await CliRunner.RunAsync("dotnet", [dll, "models", "show", "models/default"], work);
        show.Code.Should().Be(0, show.Err);
        show.Out.Should().Contain("\"kind\": \"sdgm\"");
    }
}
