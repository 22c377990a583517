namespace PvMonitor.Tests.Cli;

/// <summary>Bad arguments: one line naming the option, in the user's terms, exit code 2 (README "Exit codes").</summary>
public sealed class ArgumentErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvmon-args-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("simulate", "--days", "abc", "--days: 'abc' is not an integer.")]
    [InlineData("train", "--epochs", "x", "--epochs: 'x' is not an integer.")]
    [InlineData("train", "--learning-rate", "fast", "--learning-rate: 'fast' is not a number.")]
    [InlineData("simulate", "--start", "2020-13-01", "--start: '2020-13-01' is not a date (yyyy-MM-dd).")]
    public async Task A_value_that_does_not_convert_names_the_option_and_what_it_expects(string verb, string option, string value, string expected)
    {
        var args = verb == "train" ? new[] { verb, "--data", "a.csv", "--out", "m", option, value } : [verb, "--out", "x.csv", option, value];
        var (code, _, err) = await CliRunner.InProcessAsync(args);
        code.Should().Be(2);
        err.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("pvmonitor: " + expected);
        err.Should().NotContain("System.");
    }

    [Fact]
    public async Task A_missing_model_and_a_missing_data_file_are_both_bad_arguments()
    {
        var csv = Path.Combine(_dir, "plant.csv");
        File.WriteAllText(csv, "time,I,V,G,TExt,TMod,W,label\n");
        var model = await CliRunner.InProcessAsync("evaluate", "--model", Path.Combine(_dir, "nope"), "--data", csv);
        model.Code.Should().Be(2, model.Err);
        model.Err.Should().Contain("--model").And.Contain("does not exist");
        var data = await CliRunner.InProcessAsync("evaluate", "--model", "models/default", "--data", Path.Combine(_dir, "nope.csv"));
        data.Code.Should().Be(2, data.Err);
        data.Err.Should().Contain("--data").And.Contain("does not exist");
        var show = await CliRunner.InProcessAsync("models", "show", Path.Combine(_dir, "nope"));
        show.Code.Should().Be(2, show.Err);
    }

    [Fact]
    public async Task A_file_given_as_the_model_is_called_a_file()
    {
        var csv = Path.Combine(_dir, "plant.csv");
        File.WriteAllText(csv, "time,I,V,G,TExt,TMod,W,label\n");
        var r = await CliRunner.InProcessAsync("evaluate", "--model", csv, "--data", csv);
        r.Code.Should().Be(2);
        r.Err.Should().Contain("--model").And.Contain("is a file, not a model directory").And.NotContain("does not exist");
        var show = await CliRunner.InProcessAsync("models", "show", csv);
        show.Code.Should().Be(2);
        show.Err.Should().Contain("is a file, not a model directory");
    }

    [Fact]
    public async Task A_folder_without_a_manifest_is_not_a_model_directory()
    {
        var r = await CliRunner.InProcessAsync("models", "show", _dir);
        r.Code.Should().Be(2);
        r.Err.Should().Contain("not a model directory: manifest.json is missing");
    }

    [Fact]
    public async Task Evaluate_warns_naming_classes_the_model_does_not_know_and_exits_1()
    {
        var csv = Path.Combine(_dir, "degr.csv");
        (await CliRunner.InProcessAsync("simulate", "--days", "1", "--conditions", "N,DEGR", "--out", csv)).Code.Should().Be(0);
        var r = await CliRunner.InProcessAsync("evaluate", "--model", "models/default", "--data", csv, "--json");
        r.Code.Should().Be(1, r.Err);
        r.Err.Should().Contain("warning").And.Contain("classes the model does not know: DEGR (").And.Contain("--unseen DEGR");
        r.Out.Should().Contain("\"accuracy\"", "the results are still printed");

        var listed = await CliRunner.InProcessAsync("evaluate", "--model", "models/default", "--data", csv, "--unseen", "DEGR");
        listed.Code.Should().Be(0, listed.Err);
        listed.Err.Should().NotContain("warning");
    }
}
