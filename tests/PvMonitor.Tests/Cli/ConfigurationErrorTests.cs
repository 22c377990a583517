namespace PvMonitor.Tests.Cli;

public class ConfigurationErrorTests
{
    [Fact]
    public async Task Non_numeric_port_from_environment_stops_start_up_naming_the_key()
    {
        var (code, _, err) = await CliRunner.ProcessAsync(new Dictionary<string, string> { ["PVMON_Mqtt__Port"] = "abc" }, "run");
        code.Should().Be(2);
        err.Should().Contain("Mqtt:Port").And.Contain("abc");
    }

    [Fact]
    public async Task Out_of_range_value_from_set_names_the_key()
    {
        var (code, _, err) = await CliRunner.InProcessAsync("run", "--set", "Mqtt:Port=70000");
        code.Should().Be(2);
        err.Should().Contain("Mqtt:Port must be 1–65535");
    }

    [Fact]
    public async Task Unknown_key_is_named()
    {
        var (code, _, err) = await CliRunner.InProcessAsync("run", "--set", "Mqtt:Hots=broker");
        code.Should().Be(2);
        err.Should().Contain("Mqtt:Hots");
    }

    [Fact]
    public async Task Influx_v2_without_token_names_the_missing_keys()
    {
        var (code, _, err) = await CliRunner.InProcessAsync("run", "--set", "Influx:Url=http://127.0.0.1:8086", "--set", "Influx:Version=2");
        code.Should().Be(2);
        err.Should().Contain("Influx:Org").And.Contain("Influx:Token");
    }

    [Fact]
    public async Task An_influx_url_alone_uses_version_2_by_default_and_names_the_keys_and_the_version_1_alternative()
    {
        var (code, _, err) = await CliRunner.InProcessAsync("run", "--set", "Influx:Url=http://127.0.0.1:8086");
        code.Should().Be(2);
        err.Should().Contain("Influx:Org").And.Contain("Influx:Version=1");
    }

    [Fact]
    public async Task Set_without_equals_is_rejected()
    {
        var (code, _, err) = await CliRunner.InProcessAsync("run", "--set", "Mqtt:Host");
        code.Should().Be(2);
        err.Should().Contain("--set").And.Contain("KEY=VALUE");
    }

    [Fact]
    public async Task Missing_config_file_is_named()
    {
        var (code, _, err) = await CliRunner.InProcessAsync("run", "--config", "/nonexistent/pvmonitor.json");
        code.Should().Be(2);
        err.Should().Contain("/nonexistent/pvmonitor.json");
    }
}
