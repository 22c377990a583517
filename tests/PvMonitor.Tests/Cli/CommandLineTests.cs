namespace PvMonitor.Tests.Cli;

public class CommandLineTests
{
    public static readonly TheoryData<string> Verbs = new() { "run", "demo", "simulate", "train", "evaluate", "experiment", "replay", "models" };

    [Fact]
    public async Task Help_lists_every_verb()
    {
        var (code, output, _) = await CliRunner.InProcessAsync("--help");
        code.Should().Be(0);
        foreach (var verb in Verbs) output.Should().Contain($"  {verb}");
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Each_verb_has_documented_help(string verb)
    {
        var (code, output, _) = await CliRunner.InProcessAsync(verb, "--help");
        code.Should().Be(0);
        output.Should().Contain("Description:").And.Contain($" {verb} ").And.Contain("Options:");
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task No_help_text_sends_the_reader_to_help(string verb)
    {
        var (_, output, _) = await CliRunner.InProcessAsync(verb, "--help");
        output.Should().NotContainEquivalentOf("see --help");
    }

    [Fact]
    public async Task Unknown_flag_exits_2_with_one_line_naming_it()
    {
        var (code, _, err) = await CliRunner.InProcessAsync("train", "--no-such-flag");
        code.Should().Be(2);
        err.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("--no-such-flag");
    }

    [Fact]
    public async Task Out_of_range_value_names_the_option()
    {
        var (code, _, err) = await CliRunner.InProcessAsync("simulate", "--out", "x.csv", "--days", "0");
        code.Should().Be(2);
        err.Should().Contain("--days");
    }

    [Fact]
    public async Task Disallowed_choice_names_the_option_and_the_choices()
    {
        var (code, _, err) = await CliRunner.InProcessAsync("train", "--data", "a.csv", "--out", "m", "--model", "svm");
        code.Should().Be(2);
        err.Should().Contain("--model").And.Contain("sdgm, m2, adgm, cagem, mlp, mlr");
    }

    [Fact]
    public async Task Malformed_labels_per_class_is_rejected()
    {
        var (code, _, err) = await CliRunner.InProcessAsync("train", "--data", "a.csv", "--out", "m", "--labels-per-class", "some");
        code.Should().Be(2);
        err.Should().Contain("--labels-per-class");
    }

    [Fact]
    public async Task Missing_required_option_is_named()
    {
        var (code, _, err) = await CliRunner.InProcessAsync("evaluate", "--data", "a.csv");
        code.Should().Be(2);
        err.Should().Contain("--model");
    }

    [Fact]
    public async Task Bad_broker_url_is_rejected()
    {
        var (code, _, err) = await CliRunner.InProcessAsync("replay", "--data", "a.csv", "--broker", "http://x:1");
        code.Should().Be(2);
        err.Should().Contain("--broker");
    }
}
