using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Session;

/// <summary>Our QoS 1 PUBLISH from the moment it gets a packet id until its PUBACK.</summary>
internal sealed class PendingPublish(PublishPacket packet, long sequence, int size)
{
    public PublishPacket Packet { get; } = packet;

    /// <summary>Order of PublishAsync calls; resends after a reconnect keep it.</summary>
    public long Sequence { get; } = sequence;

    /// <summary>Encoded size in bytes, to check against the broker's maximum before sending.</summary>
    public int Size { get; } = size;

    /// <summary>Handed to the current connection (and so counted against the send window).</summary>
    public bool Sent { get; set; }

    /// <summary>Completes on PUBACK; faults on a refusing PUBACK or when the client stops.</summary>
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
