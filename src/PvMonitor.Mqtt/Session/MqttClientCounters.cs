namespace PvMonitor.Mqtt.Session;

/// <summary>Counters shared by a client and its connections (updated with <see cref="Interlocked"/>).</summary>
internal sealed class MqttClientCounters
{
    public long MessagesReceived;
    public long StaleAcks;
    public long OversizedDropped;
}
