using System.Buffers;

namespace PvMonitor.Mqtt.Session;

/// <summary>
/// The one buffer a connection reads into: unread bytes live in [start, end); free space follows. It grows only to
/// fit one packet the decoder has already accepted (so at most the maximum packet size) and shrinks back once that
/// packet is consumed. Pooled; not thread-safe (the read loop owns it).
/// </summary>
internal sealed class MqttReadBuffer : IDisposable
{
    private readonly int _initialSize;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public MqttReadBuffer(int initialSize)
    {
        _initialSize = initialSize;
        _buffer = ArrayPool<byte>.Shared.Rent(initialSize);
    }

    /// <summary>Bytes received and not consumed yet.</summary>
    public ReadOnlySpan<byte> Data => _buffer.AsSpan(_start, _end - _start);

    public int Length => _end - _start;

    public void Consume(int count)
    {
        _start += count;
        if (_start == _end)
        {
            _start = _end = 0;
            if (_buffer.Length > _initialSize * 4)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(_initialSize);
            }
        }
    }

    /// <summary>Free space to read into, with room for at least <paramref name="frameLength"/> bytes of unread data in total.</summary>
    public Memory<byte> GetFreeMemory(int frameLength)
    {
        var length = _end - _start;
        var needed = Math.Max(frameLength, length + 1);
        if (needed > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(needed);
            _buffer.AsSpan(_start, length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
            _start = 0;
            _end = length;
        }
        else if (_start > 0 && (_buffer.Length - _end < _buffer.Length / 4 || _start + needed > _buffer.Length))
        {
            _buffer.AsSpan(_start, length).CopyTo(_buffer);
            _start = 0;
            _end = length;
        }

        return _buffer.AsMemory(_end);
    }

    public void Commit(int count) => _end += count;

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(buffer);
    }
}
