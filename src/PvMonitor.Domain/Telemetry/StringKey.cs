namespace PvMonitor.Domain.Telemetry;

/// <summary>Identifies one PV string: plant / inverter / string, as in the MQTT topic <c>pv/{plant}/{inverter}/{string}/telemetry</c>.</summary>
public readonly record struct StringKey(string Plant, string Inverter, string String)
{
    /// <inheritdoc />
    public override string ToString() => $"{Plant}/{Inverter}/{String}";
}
