namespace PvMonitor.Mqtt.Session;

/// <summary>
/// Hands out packet identifiers 1–65,535 that are not in use, round-robin so a just-released id is not reused at once.
/// A bit set of 8 KiB; not thread-safe (the client calls it under its lock).
/// </summary>
internal sealed class PacketIdAllocator
{
    private readonly ulong[] _used = new ulong[65536 / 64];
    private int _next = 1;

    public int InUse { get; private set; }

    public bool IsInUse(ushort id) => (_used[id >> 6] & (1UL << (id & 63))) != 0;

    /// <summary>The next free id after the previous one; false when all 65,535 are taken.</summary>
    public bool TryAllocate(out ushort id)
    {
        for (var n = 0; n < 65535; n++)
        {
            var candidate = _next;
            _next = candidate == 65535 ? 1 : candidate + 1;
            if (!IsInUse((ushort)candidate))
            {
                id = (ushort)candidate;
                _used[id >> 6] |= 1UL << (id & 63);
                InUse++;
                return true;
            }
        }

        id = 0;
        return false;
    }

    public void Release(ushort id)
    {
        if (id == 0 || !IsInUse(id))
            return;
        _used[id >> 6] &= ~(1UL << (id & 63));
        InUse--;
    }
}
