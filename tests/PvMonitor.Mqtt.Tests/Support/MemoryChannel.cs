using System.Buffers;
using System.IO.Pipelines;
using PvMonitor.Mqtt.Transport;

namespace PvMonitor.Mqtt.Tests.Support;

/// <summary>
/// The client's end of an in-memory connection: two pipes in place of a socket. The broker's end is
/// <see cref="FakeBrokerConnection"/>. Small pipe thresholds make back-pressure visible: a writer blocks once
/// the reader stops reading.
/// </summary>
public sealed class MemoryChannel : IMqttChannel
{
    private readonly Pipe _toBroker;
    private readonly Pipe _toClient;
    private readonly Func<CancellationToken, ValueTask>? _onConnect;
    private int _disposed;

    public MemoryChannel(Pipe toBroker, Pipe toClient, Func<CancellationToken, ValueTask>? onConnect)
    {
        _toBroker = toBroker;
        _toClient = toClient;
        _onConnect = onConnect;
    }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public ValueTask ConnectAsync(CancellationToken cancellationToken) => _onConnect?.Invoke(cancellationToken) ?? ValueTask.CompletedTask;

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await _toClient.Reader.ReadAsync(cancellationToken);
        var data = result.Buffer;
        if (data.IsEmpty && result.IsCompleted)
        {
            _toClient.Reader.AdvanceTo(data.End);
            return 0;
        }

        var count = (int)Math.Min(buffer.Length, data.Length);
        data.Slice(0, count).CopyTo(buffer.Span);
        _toClient.Reader.AdvanceTo(data.GetPosition(count));
        return count;
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var result = await _toBroker.Writer.WriteAsync(data, cancellationToken);
        if (result.IsCompleted)
            throw new IOException("The broker side closed the connection.");
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _toBroker.Writer.Complete();
            _toClient.Reader.Complete();
        }

        return ValueTask.CompletedTask;
    }
}
