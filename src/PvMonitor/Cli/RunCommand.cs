using System.CommandLine;
using PvMonitor.Hosting;

namespace PvMonitor.Cli;

/// <summary><c>pvmonitor run</c>: the monitoring daemon (MQTT → SDGM → store → alerts), the default verb.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var set = CommonOptions.Set();
        var command = new Command("run", "Run the monitoring daemon: subscribe to MQTT telemetry, classify and flag anomalies with the SDGM, store results, send alert webhooks, serve the operator page, /healthz, /readyz and /metrics.")
        {
            config,
            set,
        };
        command.SetAction((pr, ct) => ExecuteAsync(pr.GetValue(config), pr.GetValue(set) ?? [], ct));
        return command;
    }

    public static async Task<int> ExecuteAsync(FileInfo? configFile, string[] overrides, CancellationToken cancellationToken)
    {
        var configuration = ServiceConfiguration.Build(configFile, overrides);
        ServiceConfiguration.ValidateAll(configuration);
        var settings = WorkerSettings.Load(configuration);
        await using var logger = LoggingSetup.CreateLogger(configuration);
        return await WorkerHost.RunAsync(configuration, settings, demo: null, settings.Api.Urls, logger,
            c => logger.Information("pvmonitor run: listening on {Urls} (/healthz, /readyz, /metrics, operator page /); ingesting {Topic} from {Host}:{Port}; results to {Store}.",
                settings.Api.Urls, settings.Mqtt.Topic, settings.Mqtt.Host, settings.Mqtt.Port, c.StoreDescription),
            cancellationToken);
    }
}
