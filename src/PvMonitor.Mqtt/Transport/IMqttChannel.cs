namespace PvMonitor.Mqtt.Transport;

/// <summary>
/// A byte stream to the broker: connect, read, write, and disconnect (dispose). Nothing MQTT-specific happens here.
/// One reader and one writer may work at the same time. <see cref="IAsyncDisposable.DisposeAsync"/> disconnects; it must be
/// safe to call more than once and while a read is pending (which it ends).
/// </summary>
public interface IMqttChannel : IAsyncDisposable
{
    /// <summary>Opens the connection (TCP, then TLS when configured).</summary>
    ValueTask ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes; 0 means the peer closed the connection.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
