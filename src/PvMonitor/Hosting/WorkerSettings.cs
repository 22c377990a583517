using Microsoft.Extensions.Configuration;
using PvMonitor.Cli;
using PvMonitor.Hosting.Options;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Pipeline;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Hosting;

/// <summary>Every configuration section the worker reads, bound and validated at start (errors name their keys).</summary>
public sealed class WorkerSettings
{
    /// <summary>Section <c>Mqtt</c>.</summary>
    public required MqttOptions Mqtt { get; init; }

    /// <summary>Section <c>Influx</c> (empty <c>Influx:Url</c> = the embedded SQLite store).</summary>
    public required InfluxOptions Influx { get; init; }

    /// <summary>Section <c>Model</c>.</summary>
    public required ModelOptions Model { get; init; }

    /// <summary>Section <c>Api</c>.</summary>
    public required ApiOptions Api { get; init; }

    /// <summary>Section <c>Data</c>.</summary>
    public required DataOptions Data { get; init; }

    /// <summary>Section <c>Ingest</c> (its <c>TopicPattern</c> is taken from <c>Mqtt:Topic</c>).</summary>
    public required IngestOptions Ingest { get; init; }

    /// <summary>Section <c>Alerts</c>.</summary>
    public required AlertsOptions Alerts { get; init; }

    /// <summary>Section <c>Sqlite</c>.</summary>
    public required SqliteStoreOptions Sqlite { get; init; }

    /// <summary>Section <c>Pipeline</c>.</summary>
    public required PipelineOptions Pipeline { get; init; }

    /// <summary>True when results go to InfluxDB (<c>Influx:Url</c> set).</summary>
    public bool UsesInflux => !string.IsNullOrWhiteSpace(Influx.Url);

    /// <summary>Binds and validates every section.</summary>
    /// <exception cref="CliException">A value is malformed, a key unknown, or a setting invalid (exit code 2).</exception>
    public static WorkerSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var mqtt = ServiceConfiguration.Bind<MqttOptions>(configuration);
        var ingest = BindLibrary<IngestOptions>(configuration, IngestOptions.SectionName, o => o.Validate());
        ingest.TopicPattern = mqtt.Topic;
        var problems = ingest.Validate();
        if (problems.Count > 0) throw new CliException("Configuration error: " + string.Join(" ", problems).Replace("Ingest:TopicPattern", "Mqtt:Topic", StringComparison.Ordinal));
        return new WorkerSettings
        {
            Mqtt = mqtt,
            Influx = ServiceConfiguration.Bind<InfluxOptions>(configuration),
            Model = ServiceConfiguration.Bind<ModelOptions>(configuration),
            Api = ServiceConfiguration.Bind<ApiOptions>(configuration),
            Data = ServiceConfiguration.Bind<DataOptions>(configuration),
            Ingest = ingest,
            Alerts = BindLibrary<AlertsOptions>(configuration, AlertsOptions.SectionName, o => o.Validate()),
            Sqlite = BindLibrary<SqliteStoreOptions>(configuration, SqliteStoreOptions.SectionName, o => o.Validate()),
            Pipeline = BindLibrary<PipelineOptions>(configuration, PipelineOptions.SectionName, o => o.Validate()),
        };
    }

    /// <summary>Resolves <paramref name="path"/> against <c>Data:Path</c> unless it is absolute.</summary>
    public string DataFile(string path) => System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(Data.Path, path));

    private static T BindLibrary<T>(IConfiguration configuration, string section, Func<T, IReadOnlyList<string>> validate) where T : class, new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new CliException($"Configuration error in section {section}: {ex.Message}");
        }

        var problems = validate(options);
        if (problems.Count > 0) throw new CliException("Configuration error: " + string.Join(" ", problems));
        return options;
    }
}
