namespace PvMonitor.Monitoring.Operations;

/// <summary>Wire names of <see cref="ConditionSeverity"/>: <c>info</c>, <c>warning</c>, <c>fault</c>.</summary>
public static class ConditionSeverityNames
{
    /// <summary>The wire name.</summary>
    public static string ToWireName(this ConditionSeverity severity) => severity switch
    {
        ConditionSeverity.Info => "info",
        ConditionSeverity.Warning => "warning",
        _ => "fault",
    };

    /// <summary>Parses a wire name (case-insensitive).</summary>
    public static bool TryParse(string? text, out ConditionSeverity severity)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "info":
                severity = ConditionSeverity.Info;
                return true;
            case "warning":
                severity = ConditionSeverity.Warning;
                return true;
            case "fault":
                severity = ConditionSeverity.Fault;
                return true;
            default:
                severity = default;
                return false;
        }
    }
}
