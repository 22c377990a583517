using System.Text;
using Microsoft.Extensions.Logging;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Pipeline;

namespace PvMonitor.Hosting;

/// <summary>"Webhooks to the log": writes each alert's webhook JSON body as a log line (the demo's receiver).</summary>
public sealed class LoggingAlertPublisher(ILogger<LoggingAlertPublisher> logger) : IAlertPublisher
{
    /// <inheritdoc />
    public bool TryPublish(AlertEvent alert)
    {
        logger.LogWarning("ALERT {Kind} {Plant}/{Inverter}/{Strings}: {Body}", alert.Kind.ToWireName(), alert.Plant, alert.Inverter, alert.StringList,
            Encoding.UTF8.GetString(AlertJsonWriter.ToUtf8Bytes(alert)));
        return true;
    }
}
