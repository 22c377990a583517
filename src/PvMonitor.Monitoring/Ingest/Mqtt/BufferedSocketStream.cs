using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace PvMonitor.Monitoring.Ingest.Mqtt;

/// <summary>
/// The TCP stream under MQTTnet's channel (TLS, when on, is layered above it by MQTTnet). Reads go through a 16 KiB buffer, so
/// a backlog of small PUBLISH packets costs one receive call per buffer instead of two or three per packet (MQTTnet reads the
/// fixed header, length and body separately). Between <see cref="Hold"/> and <see cref="ReleaseAsync"/> writes are gathered and
/// sent in one call: the sender writes a run of PUBACKs that way. The read buffer is the only data taken off the socket ahead
/// of the reader, so back-pressure still reaches the broker. One reader and one writer may use it at the same time.
/// </summary>
internal sealed class BufferedSocketStream(Socket socket) : Stream, IMqttClientStreamEndPoints
{
    private const int ReadBufferSize = 16 * 1024;
    private const int WriteFlushThreshold = 32 * 1024;

    private readonly NetworkStream _inner = new(socket, ownsSocket: true);
    private readonly byte[] _readBuffer = new byte[ReadBufferSize];
    private readonly MemoryStream _pending = new();
    private int _readStart;
    private int _readEnd;
    private bool _holding;

    public EndPoint? LocalEndPoint => socket.LocalEndPoint;

    public EndPoint? RemoteEndPoint => socket.RemoteEndPoint;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>From now until <see cref="ReleaseAsync"/>, writes are gathered instead of sent.</summary>
    public void Hold() => _holding = true;

    /// <summary>Sends what was gathered since <see cref="Hold"/> in one call and goes back to writing through.</summary>
    public async ValueTask ReleaseAsync(CancellationToken cancellationToken)
    {
        _holding = false;
        await SendPendingAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_readStart == _readEnd)
        {
            if (buffer.Length >= ReadBufferSize) return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            _readStart = 0;
            _readEnd = await _inner.ReadAsync(_readBuffer, cancellationToken).ConfigureAwait(false);
            if (_readEnd == 0) return 0;
        }

        var count = Math.Min(buffer.Length, _readEnd - _readStart);
        _readBuffer.AsSpan(_readStart, count).CopyTo(buffer.Span);
        _readStart += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_holding)
        {
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }

        _pending.Write(buffer.Span);
        if (_pending.Length >= WriteFlushThreshold) await SendPendingAsync(cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    private async ValueTask SendPendingAsync(CancellationToken cancellationToken)
    {
        if (_pending.Length == 0) return;
        var length = (int)_pending.Length;
        _pending.SetLength(0);
        await _inner.WriteAsync(_pending.GetBuffer().AsMemory(0, length), cancellationToken).ConfigureAwait(false);
    }
}
