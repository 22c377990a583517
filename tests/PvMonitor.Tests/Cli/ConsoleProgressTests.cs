using System.Text.RegularExpressions;
using PvMonitor.Cli;
using PvMonitor.Learning.Training;
using Spectre.Console;

namespace PvMonitor.Tests.Cli;

/// <summary>Progress lines: readable in an 80-column terminal, one ETA, an ETA for every long verb.</summary>
public sealed partial class ConsoleProgressTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvmon-progress-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Train_in_an_80_column_terminal_shows_the_epoch_loss_and_accuracy_with_one_ETA()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 80;
        await ConsoleProgress.RunLiveAsync(console, "train sdgm", async progress =>
        {
            new TrainCommand.EpochReporter(progress).Report(new TrainingProgress(123, 200, 164384.523, 0.969, -106.0, TimeSpan.FromSeconds(40), IsBest: true));
            await Task.Delay(400); // Spectre redraws every 100 ms
            return 0;
        }, "ETA≤");

        var lines = AnsiEscape().Replace(output.ToString(), "").Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Contains("epoch 123/200", StringComparison.Ordinal)).ToList();
        lines.Should().NotBeEmpty(output.ToString());
        foreach (var line in lines)
        {
            line.TrimEnd().Length.Should().BeLessThanOrEqualTo(80, line);
            line.Should().Contain("train sdgm epoch 123/200 loss").And.Contain("acc 0.969").And.Contain("elbo -106.0");
            Regex.Count(line, "ETA").Should().BeLessThanOrEqualTo(1, line);
        }

        lines.Should().Contain(l => Regex.Count(l, "ETA≤ ") == 1, "while it runs the line has one ETA");
        lines[^1].Should().Contain("100% took ");
    }

    [Fact]
    public void A_line_too_long_for_the_terminal_keeps_its_percentage_and_ETA()
    {
        var line = ConsoleProgress.FormatLine(new string('x', 200), 0.5, TimeSpan.FromSeconds(10), 80, "ETA");
        line.Length.Should().Be(80);
        line.Should().Contain("…").And.EndWith(" 50% ETA 0:00:10");
        ConsoleProgress.FormatLine("simulate", 0.25, TimeSpan.FromSeconds(30), 80, "ETA").Should().Contain("[#").And.EndWith(" 25% ETA 0:01:30");
    }

    [Fact]
    public async Task Experiment_paper_reports_an_ETA()
    {
        var csv = Path.Combine(_dir, "plant.csv");
        (await CliRunner.InProcessAsync("simulate", "--days", "2", "--out", csv)).Code.Should().Be(0);
        var r = await CliRunner.InProcessAsync("experiment", "paper", "--data", csv, "--out", Path.Combine(_dir, "report"),
            "--folds", "1", "--repeats", "1", "--budgets", "5", "--sdgm-epochs", "1", "--baseline-epochs", "1", "--parts", "table3,fig7");
        r.Code.Should().Be(0, r.Err);
        r.Err.Should().MatchRegex(@"experiment paper: +\d+\.\d% .*ETA \d+:\d\d:\d\d");
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
