using PvMonitor.Monitoring.Alerts;

namespace PvMonitor.Monitoring.Pipeline;

/// <summary>Where stored alerts go next (webhooks, a log). Must never block: the pipeline calls it on its store stage.</summary>
public interface IAlertPublisher
{
    /// <summary>Hands <paramref name="alert"/> over without waiting; false when it was dropped (e.g. a full queue).</summary>
    bool TryPublish(AlertEvent alert);
}
