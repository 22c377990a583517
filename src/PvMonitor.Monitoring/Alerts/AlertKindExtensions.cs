namespace PvMonitor.Monitoring.Alerts;

/// <summary>Wire names of <see cref="AlertKind"/>.</summary>
public static class AlertKindExtensions
{
    /// <summary>The snake_case wire name, e.g. <c>fault_entered</c>.</summary>
    public static string ToWireName(this AlertKind kind) => kind switch
    {
        AlertKind.FaultEntered => "fault_entered",
        AlertKind.FaultCleared => "fault_cleared",
        AlertKind.AnomalyOpened => "anomaly_opened",
        AlertKind.AnomalyClosed => "anomaly_closed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown alert kind."),
    };

    /// <summary>Parses a wire name back to a kind.</summary>
    /// <exception cref="FormatException">The name is not one of the four wire names.</exception>
    public static AlertKind ParseWireName(string name) => name switch
    {
        "fault_entered" => AlertKind.FaultEntered,
        "fault_cleared" => AlertKind.FaultCleared,
        "anomaly_opened" => AlertKind.AnomalyOpened,
        "anomaly_closed" => AlertKind.AnomalyClosed,
        _ => throw new FormatException($"'{name}' is not an alert kind (fault_entered, fault_cleared, anomaly_opened, anomaly_closed)."),
    };

    /// <summary>True for the kinds that open an episode (entered/opened).</summary>
    public static bool IsOpening(this AlertKind kind) => kind is AlertKind.FaultEntered or AlertKind.AnomalyOpened;
}
