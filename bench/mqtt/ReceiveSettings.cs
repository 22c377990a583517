namespace PvMonitor.Mqtt.Bench;

/// <summary>What a receive run does: broker, topic, QoS, count, session, and an optional consumer rate limit (0 = as fast as possible).</summary>
internal sealed record ReceiveSettings(string Host, int Port, string Topic, int QoS, int Count, string ClientId, bool Persistent, string ReadyFile,
    int ConsumeRate, int Queue);
