namespace PvMonitor.Monitoring.Operations;

/// <summary>How an operator-defined condition is treated: <c>info</c> (normal operation), <c>warning</c> (environmental, e.g. snow), <c>fault</c> (raises fault alerts).</summary>
public enum ConditionSeverity
{
    /// <summary>Normal operation.</summary>
    Info,

    /// <summary>Worth a look, not a fault (snow, soiling).</summary>
    Warning,

    /// <summary>A fault: entering it raises a fault alert.</summary>
    Fault,
}
