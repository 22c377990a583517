namespace PvMonitor.Mqtt.Session;

/// <summary>The verdict of <see cref="KeepAliveMonitor.Evaluate"/>.</summary>
internal enum KeepAliveAction
{
    None,
    SendPing,
    PeerDead,
}
