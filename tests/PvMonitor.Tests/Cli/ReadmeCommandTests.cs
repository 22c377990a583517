using System.Text.RegularExpressions;
using PvMonitor.Cli;

namespace PvMonitor.Tests.Cli;

/// <summary>
/// The README's commands as written: the quick block runs line by line with the built binary (a copy outside the repository)
/// from an empty working directory, where its files must land; every other <c>pv …</c> line must at least parse.
/// </summary>
public sealed class ReadmeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvmon-readme-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_quick_commands_run_as_written_from_any_folder_and_write_there()
    {
        var commands = PvLines(BashBlocks(ReadReadme()).First(b => b.Contains("pv simulate --days 3", StringComparison.Ordinal)));
        commands.Select(c => c[0]).Should().Equal("--help", "simulate", "train", "evaluate", "models");
        var dll = CliRunner.CopyBuildOutput(Path.Combine(_dir, "install"));
        var work = Directory.CreateDirectory(Path.Combine(_dir, "work")).FullName;
        foreach (var args in commands)
        {
            var r = await CliRunner.RunAsync("dotnet", [dll, .. args], work, timeout: TimeSpan.FromMinutes(3));
            r.Code.Should().Be(0, $"pv {string.Join(' ', args)}: {r.Err}");
            r.Err.Should().NotContain("   at ");
        }

        File.Exists(Path.Combine(work, "small.csv")).Should().BeTrue();
        File.Exists(Path.Combine(work, "models", "small", "manifest.json")).Should().BeTrue();
        Directory.EnumerateFileSystemEntries(work).Select(Path.GetFileName).Should().BeEquivalentTo(["small.csv", "models"]);
    }

    [Fact]
    public void Every_other_pv_command_in_the_readme_parses()
    {
        var all = BashBlocks(ReadReadme()).SelectMany(PvLines).ToList();
        all.Count.Should().BeGreaterThan(10);
        foreach (var args in all)
            PvMonitorCli.Build().Parse(args).Errors.Should().BeEmpty($"pv {string.Join(' ', args)}");
    }

    private static string ReadReadme() => File.ReadAllText(Path.Combine(CliRunner.RepositoryRoot(), "README.md"));

    private static IEnumerable<string> BashBlocks(string markdown) =>
        Regex.Matches(markdown, "```bash\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value);

    /// <summary>The arguments of each <c>pv …</c> line (comments removed; these lines use no quotes).</summary>
    private static List<string[]> PvLines(string block) =>
        block.Split('\n')
            .Select(l => Regex.Replace(l, @"\s+#.*$", "").Trim())
            .Where(l => l.StartsWith("pv ", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..])
            .ToList();
}
