namespace PvMonitor.Monitoring.Alerts;

/// <summary>What an <see cref="AlertEvent"/> reports. Wire names (JSON <c>kind</c>, <c>pv_alert.kind</c>) come from <see cref="AlertKindExtensions.ToWireName"/>.</summary>
public enum AlertKind
{
    /// <summary><c>fault_entered</c>: a string entered a fault condition (debounced).</summary>
    FaultEntered,

    /// <summary><c>fault_cleared</c>: the fault episode ended (after the hysteresis run of non-fault samples).</summary>
    FaultCleared,

    /// <summary><c>anomaly_opened</c>: an anomaly episode began (debounced ELBO-threshold anomalies).</summary>
    AnomalyOpened,

    /// <summary><c>anomaly_closed</c>: the anomaly episode ended.</summary>
    AnomalyClosed,
}
