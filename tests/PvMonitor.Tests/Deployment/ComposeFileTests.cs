using System.Text.RegularExpressions;
using PvMonitor.Hosting;
using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Testing;
using PvMonitor.Tests.Hosting;
using YamlDotNet.RepresentationModel;

namespace PvMonitor.Tests.Deployment;

/// <summary>docker-compose.yml and the files it mounts (no Docker engine runs here, so the file itself is what is checked).</summary>
public sealed partial class ComposeFileTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("pvmon-compose-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static YamlMappingNode Services => DeploymentFiles.Yaml("docker-compose.yml").Map("services");

    private static YamlMappingNode Service(string name) => Services.Map(name);

    /// <summary>The secrets deploy/generate-env.sh writes (what a first run uses).</summary>
    private Dictionary<string, string> GeneratedEnv()
    {
        var file = Path.Combine(_temp, ".env");
        var (code, output) = DeploymentFiles.Run(DeploymentFiles.PathOf("deploy/generate-env.sh"), file, _temp);
        code.Should().Be(0, output);
        output.Should().MatchRegex("operator API token .*: [0-9a-f]{48}");
        return DeploymentFiles.EnvFile(file);
    }

    [RequiresExecutableFact("docker-compose", "openssl")]
    public void Docker_compose_accepts_the_file_with_the_generated_secrets_and_refuses_it_without_them()
    {
        GeneratedEnv();
        var withSecrets = DeploymentFiles.Run("docker-compose", $"-f docker-compose.yml --env-file {Path.Combine(_temp, ".env")} config -q", DeploymentFiles.Root);
        withSecrets.Code.Should().Be(0, withSecrets.Output);

        var empty = Path.Combine(_temp, "empty.env");
        File.WriteAllText(empty, "");
        var without = DeploymentFiles.Run("docker-compose", $"-f docker-compose.yml --env-file {empty} config -q", DeploymentFiles.Root);
        without.Code.Should().NotBe(0);
        without.Output.Should().Contain("run deploy/generate-env.sh");
    }

    [Fact]
    public void No_service_publishes_a_port_beyond_loopback_except_the_broker_which_requires_a_password()
    {
        var published = new List<string>();
        foreach (var (name, node) in Services.Children)
        {
            foreach (var port in ((YamlMappingNode)node).Sequence("ports").Cast<YamlScalarNode>().Select(p => p.Value!))
            {
                var parts = port.Split(':');
                var hostIp = parts.Length == 3 ? parts[0] : "0.0.0.0";
                if (hostIp != "127.0.0.1") published.Add(((YamlScalarNode)name).Value!);
            }
        }

        published.Should().Equal(["mosquitto"], "only the broker is reachable from other machines");
        var conf = DeploymentFiles.Read("deploy/mosquitto.conf");
        conf.Should().MatchRegex(@"(?m)^allow_anonymous false$").And.MatchRegex(@"(?m)^password_file \S+").And.MatchRegex(@"(?m)^acl_file \S+");
    }

    [Fact]
    public void Every_service_that_holds_data_or_answers_requests_has_a_credential_from_the_environment()
    {
        var grafana = DeploymentFiles.Environment(Service("grafana"));
        grafana["GF_AUTH_ANONYMOUS_ENABLED"].Should().Be("false");
        grafana["GF_SECURITY_ADMIN_PASSWORD"].Should().MatchRegex(RequiredVariable().ToString());
        var influx = DeploymentFiles.Environment(Service("influxdb"));
        influx["DOCKER_INFLUXDB_INIT_MODE"].Should().Be("setup");
        influx["DOCKER_INFLUXDB_INIT_ADMIN_TOKEN"].Should().MatchRegex(RequiredVariable().ToString());
        var worker = DeploymentFiles.Environment(Service("pvmonitor"));
        worker["PVMON_Api__RequireAuth"].Should().Be("true");
        worker["PVMON_Api__Tokens__0__Sha256"].Should().MatchRegex(RequiredVariable().ToString());
        worker["PVMON_Influx__Version"].Should().Be("2");
        worker["PVMON_Influx__Token"].Should().Be(influx["DOCKER_INFLUXDB_INIT_ADMIN_TOKEN"]);
        DeploymentFiles.Environment(Service("mosquitto")).Keys.Should().Contain(["MQTT_PVMONITOR_PASSWORD", "MQTT_PLANT_PASSWORD"]);
    }

    [RequiresExecutableFact("openssl")]
    public async Task The_workers_settings_from_the_image_and_the_compose_file_are_keys_it_knows_and_pass_its_validation()
    {
        var secrets = GeneratedEnv();
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in DockerfileEnv().Matches(DeploymentFiles.Read("Dockerfile"))) settings[m.Groups[1].Value] = m.Groups[2].Value;
        foreach (var (key, value) in DeploymentFiles.Environment(Service("pvmonitor"))) settings[key] = value;
        var overrides = settings.Where(s => s.Key.StartsWith("PVMON_", StringComparison.Ordinal))
            .Select(s => $"{s.Key["PVMON_".Length..].Replace("__", ":", StringComparison.Ordinal)}={Substitute(s.Value, secrets)}")
            .Where(s => !s.StartsWith("Data:Path=", StringComparison.Ordinal) && !s.StartsWith("Serilog:", StringComparison.Ordinal))
            .Append($"Data:Path={_temp}")
            .ToList();

        await using var services = WorkerServices.For(ServiceConfiguration.Build(null, overrides));
        services.ValidateOnStart();

        services.Options<InfluxOptions>().Url.Should().Be("http://influxdb:8086");
        services.Options<PvMonitor.Hosting.Options.ApiOptions>().Tokens.Should().ContainSingle().Which.Sha256.Should().Be(secrets["PVMON_API_TOKEN_SHA256"]);
        services.Options<PvMonitor.Hosting.Options.MqttOptions>().Password.Should().Be(secrets["MQTT_PVMONITOR_PASSWORD"]);
    }

    /// <summary>Replaces compose's ${VAR}, ${VAR:-default} and ${VAR:?message} with the value from <paramref name="env"/> (or the default).</summary>
    private static string Substitute(string value, Dictionary<string, string> env) =>
        Variable().Replace(value, m => env.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Groups[4].Value);

    [GeneratedRegex(@"^\$\{[A-Z0-9_]+:\?[^}]+\}$")]
    private static partial Regex RequiredVariable();

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)(:([-?])([^}]*))?\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"(PVMON_[A-Za-z0-9_]+)=(\S+)")]
    private static partial Regex DockerfileEnv();
}
