using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace PvMonitor.Worker.LoadGen;

/// <summary>
/// TCP for MQTTnet's low-level client with buffered writes: publishes gather in a 64 KiB buffer and leave when it is full or on
/// <see cref="FlushAsync(CancellationToken)"/>; reads go straight to the socket (one reader, one writer at a time).
/// </summary>
internal sealed class WriteBufferedStream(Socket socket) : Stream
{
    private readonly NetworkStream _inner = new(socket, ownsSocket: true);
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _count;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_count + buffer.Length > _buffer.Length) await FlushAsync(cancellationToken);
        if (buffer.Length > _buffer.Length)
        {
            await _inner.WriteAsync(buffer, cancellationToken);
            return;
        }

        buffer.Span.CopyTo(_buffer.AsSpan(_count));
        _count += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_count == 0) return;
        var n = _count;
        _count = 0;
        await _inner.WriteAsync(_buffer.AsMemory(0, n), cancellationToken);
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Hands MQTTnet a <see cref="WriteBufferedStream"/> and keeps it for flushing.</summary>
internal sealed class WriteBufferedStreamProvider : IMqttClientStreamProvider
{
    public WriteBufferedStream? Stream { get; private set; }

    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(brokerEndPoint, cancellationToken);
        return Stream = new WriteBufferedStream(socket);
    }
}
