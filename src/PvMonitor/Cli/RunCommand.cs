using System.CommandLine;
using Microsoft.Extensions.Logging;
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

    public static Task<int> ExecuteAsync(FileInfo? configFile, string[] overrides, CancellationToken cancellationToken)
    {
        var builder = WorkerHost.CreateBuilder(WorkerMode.Daemon, configFile, overrides);
        var mqtt = builder.Configuration.GetSection("Mqtt");
        return WorkerHost.RunAsync(builder,
            s => s.Log.LogInformation("pvmonitor run: listening on {Urls} (/healthz, /readyz, /metrics, operator page /); ingesting {Topic} from {Host}:{Port}; results to {Store}.",
                s.Urls, mqtt["Topic"], mqtt["Host"], mqtt["Port"], s.Store),
            cancellationToken);
    }
}
