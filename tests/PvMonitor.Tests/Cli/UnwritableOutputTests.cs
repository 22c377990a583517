using PvMonitor.Testing;

namespace PvMonitor.Tests.Cli;

/// <summary>
/// An output the user cannot write is found before any work starts: one line naming the option (or key), exit code 2, no
/// stack trace. A path through a file is unwritable even for root, who ignores permission bits.
/// </summary>
public sealed class UnwritableOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvmon-unwritable-").FullName;
    private readonly string _file;

    public UnwritableOutputTests()
    {
        _file = Path.Combine(_dir, "plant.csv");
        // Header only, and without the feature columns: a verb that read it before checking --out would fail on 'G' instead.
        File.WriteAllText(_file, "time,I,V,label\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void ShouldBeOneLineNaming(int code, string err, string option)
    {
        code.Should().Be(2, err);
        var line = err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Subject;
        line.Should().StartWith($"pvmonitor: {option}: cannot write to");
        err.Should().NotContain("   at ").And.NotContain("Unhandled exception");
    }

    [Fact]
    public async Task Simulate_names_an_unwritable_out_before_simulating()
    {
        var (code, _, err) = await CliRunner.InProcessAsync("simulate", "--days", "1", "--out", Path.Combine(_file, "out", "x.csv"));
        ShouldBeOneLineNaming(code, err, "--out");
    }

    [Fact]
    public async Task Train_names_an_unwritable_out_before_reading_the_data()
    {
        var (code, _, err) = await CliRunner.InProcessAsync("train", "--data", _file, "--out", Path.Combine(_file, "models", "mine"));
        ShouldBeOneLineNaming(code, err, "--out");
    }

    [Fact]
    public async Task Experiment_names_an_unwritable_out_before_reading_the_data()
    {
        var (code, _, err) = await CliRunner.InProcessAsync("experiment", "paper", "--data", _file, "--out", Path.Combine(_file, "report"));
        ShouldBeOneLineNaming(code, err, "--out");
    }

    [Fact]
    public async Task Simulate_into_a_read_only_folder_names_the_option()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root") return; // root writes through permission bits; the path-through-a-file tests cover it
        var readOnly = Directory.CreateDirectory(Path.Combine(_dir, "ro")).FullName;
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var (code, _, err) = await CliRunner.InProcessAsync("simulate", "--out", Path.Combine(readOnly, "x.csv"));
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        ShouldBeOneLineNaming(code, err, "--out");
    }

    [Fact]
    public async Task Demo_with_an_unwritable_data_path_says_so_in_one_line()
    {
        var port = ExternalProgram.FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (code, _, err) = await CliRunner.ProcessAsync(null, "demo", "--minutes", "0.2", "--port", port, "--set", $"Data:Path={Path.Combine(_file, "data")}");
        code.Should().Be(2, err);
        err.Should().Contain("pvmonitor: Data:Path: cannot write to").And.NotContain("   at ").And.NotContain("Unhandled exception");
    }
}
