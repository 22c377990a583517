using System.Text.Json;
using System.Text.RegularExpressions;
using PvMonitor.Monitoring.Storage.Influx;
using YamlDotNet.RepresentationModel;

namespace PvMonitor.Tests.Deployment;

/// <summary>
/// The Grafana data source, dashboard provider and dashboard (deploy/grafana): the fields Grafana needs to load them, and
/// Flux queries that name only the measurements, fields and tags <see cref="InfluxResultStore"/> writes (<see cref="InfluxSchema"/>).
/// </summary>
public sealed partial class GrafanaProvisioningTests
{
    private static readonly JsonElement Dashboard = JsonDocument.Parse(DeploymentFiles.Read("deploy/grafana/dashboards/pvmonitor.json")).RootElement;

    /// <summary>Columns Flux itself gives every row.</summary>
    private static readonly string[] FluxColumns = ["_time", "_value", "_field", "_measurement", "_start", "_stop"];

    private static YamlMappingNode DataSource => (YamlMappingNode)DeploymentFiles.Yaml("deploy/grafana/provisioning/datasources/influxdb.yaml").Sequence("datasources").Single();

    private static IEnumerable<(string Where, string Query)> Queries()
    {
        foreach (var panel in Dashboard.GetProperty("panels").EnumerateArray())
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
                yield return ($"panel '{panel.GetProperty("title").GetString()}' {target.GetProperty("refId").GetString()}", target.GetProperty("query").GetString()!);
        foreach (var variable in Dashboard.GetProperty("templating").GetProperty("list").EnumerateArray())
            if (variable.GetProperty("type").GetString() == "query")
                yield return ($"variable {variable.GetProperty("name").GetString()}", variable.GetProperty("query").GetString()!);
    }

    [Fact]
    public void The_data_source_is_the_stacks_influxdb_2_queried_with_flux_and_a_token_from_the_environment()
    {
        var root = DeploymentFiles.Yaml("deploy/grafana/provisioning/datasources/influxdb.yaml");
        root.Scalar("apiVersion").Should().Be("1");
        var ds = DataSource;
        ds.Scalar("name").Should().NotBeNullOrWhiteSpace();
        ds.Scalar("type").Should().Be("influxdb");
        ds.Scalar("access").Should().Be("proxy");
        ds.Scalar("url").Should().Be(DeploymentFiles.Environment(DeploymentFiles.Yaml("docker-compose.yml").Map("services").Map("pvmonitor"))["PVMON_Influx__Url"],
            "Grafana reads the database the worker writes");
        var json = ds.Map("jsonData");
        json.Scalar("version").Should().Be("Flux");
        json.Scalar("organization").Should().Be("${INFLUX_ORG}");
        json.Scalar("defaultBucket").Should().Be("${INFLUX_BUCKET}");
        ds.Map("secureJsonData").Scalar("token").Should().Be("${INFLUX_TOKEN}");
        var grafana = DeploymentFiles.Environment(DeploymentFiles.Yaml("docker-compose.yml").Map("services").Map("grafana"));
        grafana.Keys.Should().Contain(["INFLUX_ORG", "INFLUX_BUCKET", "INFLUX_TOKEN"], "the provisioning file expands them from Grafana's environment");
    }

    [Fact]
    public void The_dashboard_provider_loads_the_folder_compose_mounts_the_dashboards_into()
    {
        var root = DeploymentFiles.Yaml("deploy/grafana/provisioning/dashboards/pvmonitor.yaml");
        root.Scalar("apiVersion").Should().Be("1");
        var provider = (YamlMappingNode)root.Sequence("providers").Single();
        provider.Scalar("name").Should().NotBeNullOrWhiteSpace();
        provider.Scalar("type").Should().Be("file");
        var path = provider.Map("options").Scalar("path");
        var mounts = DeploymentFiles.Yaml("docker-compose.yml").Map("services").Map("grafana").Sequence("volumes").Cast<YamlScalarNode>().Select(v => v.Value!).ToList();
        mounts.Should().Contain($"./deploy/grafana/dashboards:{path}:ro");
        mounts.Should().Contain("./deploy/grafana/provisioning:/etc/grafana/provisioning:ro");
    }

    [Fact]
    public void The_dashboard_has_the_fields_grafana_requires_and_every_panel_uses_the_provisioned_data_source()
    {
        Dashboard.GetProperty("uid").GetString().Should().MatchRegex("^[A-Za-z0-9_-]{1,40}$");
        Dashboard.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        Dashboard.GetProperty("schemaVersion").GetInt32().Should().BePositive();
        Dashboard.GetProperty("time").GetProperty("from").GetString().Should().NotBeNullOrEmpty();
        var uid = DataSource.Scalar("uid");
        var panels = Dashboard.GetProperty("panels").EnumerateArray().ToList();
        panels.Should().NotBeEmpty();
        panels.Select(p => p.GetProperty("id").GetInt32()).Should().OnlyHaveUniqueItems();
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            panel.GetProperty("type").GetString().Should().BeOneOf(["timeseries", "state-timeline", "table", "stat", "bargauge"], title);
            var grid = panel.GetProperty("gridPos");
            (grid.GetProperty("x").GetInt32() + grid.GetProperty("w").GetInt32()).Should().BeLessThanOrEqualTo(24, title);
            grid.GetProperty("h").GetInt32().Should().BePositive(title);
            panel.GetProperty("datasource").GetProperty("uid").GetString().Should().Be(uid, title);
            panel.GetProperty("datasource").GetProperty("type").GetString().Should().Be("influxdb", title);
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            targets.Should().NotBeEmpty(title);
            targets.Select(t => t.GetProperty("refId").GetString()).Should().OnlyHaveUniqueItems(title);
            targets.Should().OnlyContain(t => !string.IsNullOrWhiteSpace(t.GetProperty("query").GetString()), title);
        }
    }

    [Fact]
    public void Every_query_names_only_measurements_fields_and_tags_the_writer_produces()
    {
        var measurementsUsed = new HashSet<string>();
        foreach (var (where, query) in Queries())
        {
            var measurements = MeasurementFilter().Matches(query).Select(m => m.Groups[1].Value).ToList();
            measurements.Should().NotBeEmpty($"{where} must say which measurement it reads");
            measurements.Should().OnlyContain(m => InfluxSchema.Measurements.Contains(m), where);
            measurementsUsed.UnionWith(measurements);
            var tags = measurements.SelectMany(InfluxSchema.Tags).ToHashSet();

            var fields = FieldFilter().Matches(query).Select(m => m.Groups[1].Value)
                .Concat(FieldSet().Matches(query).SelectMany(m => Quoted().Matches(m.Groups[1].Value).Select(q => q.Groups[1].Value)));
            foreach (var field in fields)
                measurements.Should().Contain(m => InfluxSchema.IsField(m, field), $"{where} filters on field '{field}'");

            var columns = RecordColumn().Matches(query).Select(m => m.Groups[1].Value.Length > 0 ? m.Groups[1].Value : m.Groups[2].Value)
                .Concat(ColumnList().Matches(query).SelectMany(m => Quoted().Matches(m.Groups[1].Value).Select(q => q.Groups[1].Value)))
                .Concat(TagArgument().Matches(query).Select(m => m.Groups[1].Value))
                .Where(c => !FluxColumns.Contains(c));
            foreach (var column in columns)
                (tags.Contains(column) || measurements.Any(m => InfluxSchema.IsField(m, column)))
                    .Should().BeTrue($"{where} uses column '{column}', which must be a tag or (pivoted) field of {string.Join(", ", measurements)}");
        }

        measurementsUsed.Should().BeEquivalentTo(InfluxSchema.Measurements, "the dashboard shows telemetry, conditions, alerts and dead letters");
    }

    [Fact]
    public void The_threshold_variable_defaults_to_the_shipped_models_anomaly_threshold()
    {
        var manifest = JsonDocument.Parse(DeploymentFiles.Read("models/default/manifest.json")).RootElement;
        var threshold = manifest.GetProperty("threshold").GetProperty("elbo").GetDouble();
        var variable = Dashboard.GetProperty("templating").GetProperty("list").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "elbo_threshold");

        double.Parse(variable.GetProperty("query").GetString()!, System.Globalization.CultureInfo.InvariantCulture).Should().Be(threshold);
        Queries().Should().Contain(q => q.Query.Contains("${elbo_threshold}", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"r\._measurement\s*==\s*""([^""]+)""")]
    private static partial Regex MeasurementFilter();

    [GeneratedRegex(@"r\._field\s*==\s*""([^""]+)""")]
    private static partial Regex FieldFilter();

    [GeneratedRegex(@"value:\s*r\._field,\s*set:\s*\[([^\]]*)\]")]
    private static partial Regex FieldSet();

    /// <summary>r.name or r["name"] in a predicate or map.</summary>
    [GeneratedRegex(@"\br\.([A-Za-z_][A-Za-z0-9_]*)|\br\[""([^""]+)""\]")]
    private static partial Regex RecordColumn();

    /// <summary>columns: [...] of group, keep, sort, pivot's rowKey/columnKey.</summary>
    [GeneratedRegex(@"(?:columns|rowKey|columnKey):\s*\[([^\]]*)\]")]
    private static partial Regex ColumnList();

    [GeneratedRegex(@"\btag:\s*""([^""]+)""")]
    private static partial Regex TagArgument();

    [GeneratedRegex(@"""([^""]*)""")]
    private static partial Regex Quoted();
}
