using PvMonitor.Mqtt.Session;

namespace PvMonitor.Mqtt;

/// <summary>
/// A message received from the broker. The payload is a fresh array owned by the application: it is never reused,
/// so it may be kept, batched or dead-lettered without copying.
/// A QoS 1 message is acknowledged to the broker only by <see cref="AckAsync"/> (unless
/// <see cref="MqttClientOptions.AutoAcknowledge"/> is set); if the connection drops first, the broker redelivers it
/// with <see cref="Dup"/> set, so handling must be idempotent (at-least-once).
/// </summary>
public readonly struct MqttMessage
{
    private readonly MqttConnection? _connection;
    private readonly long _delivery;

    internal MqttMessage(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain, bool dup,
        ushort packetId, MqttConnection? connection, long delivery)
    {
        Topic = topic;
        Payload = payload;
        QoS = qos;
        Retain = retain;
        Dup = dup;
        PacketId = packetId;
        _connection = connection;
        _delivery = delivery;
    }

    /// <summary>The topic name the message was published to.</summary>
    public string Topic { get; }

    /// <summary>The payload; a fresh array per message, owned by the application (never reused by the client).</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The QoS the broker delivered with (at most the subscription's).</summary>
    public MqttQualityOfService QoS { get; }

    /// <summary>The broker sent a retained message (e.g. on subscribe) rather than a live one.</summary>
    public bool Retain { get; }

    /// <summary>The broker may have delivered this message before (redelivery after a reconnect).</summary>
    public bool Dup { get; }

    /// <summary>Packet identifier of a QoS 1 message on its connection; 0 for QoS 0.</summary>
    public ushort PacketId { get; }

    /// <summary>True when <see cref="AckAsync"/> will send a PUBACK (a QoS 1 message not acked yet on a live connection).</summary>
    public bool NeedsAck => _connection is not null && _connection.IsAwaitingAck(PacketId, _delivery);

    /// <summary>
    /// Tells the broker the message is durably handled (queues the PUBACK; returns without waiting for the network).
    /// Does nothing for QoS 0, for messages already acked, and for messages whose connection has closed —
    /// the broker will redeliver those. Acks should follow the order of receipt (MQTT 3.1.1 §4.6).
    /// </summary>
    public ValueTask AckAsync()
    {
        _connection?.Acknowledge(PacketId, _delivery);
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"{Topic} ({Payload.Length} bytes, QoS {(int)QoS}{(Retain ? ", retained" : "")}{(Dup ? ", dup" : "")})";
}
