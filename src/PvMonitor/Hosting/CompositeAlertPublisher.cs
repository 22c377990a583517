using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Pipeline;

namespace PvMonitor.Hosting;

/// <summary>Hands each alert to several publishers; true when all took it.</summary>
public sealed class CompositeAlertPublisher(IReadOnlyList<IAlertPublisher> publishers) : IAlertPublisher
{
    /// <inheritdoc />
    public bool TryPublish(AlertEvent alert)
    {
        var all = true;
        foreach (var p in publishers) all &= p.TryPublish(alert);
        return all;
    }
}
