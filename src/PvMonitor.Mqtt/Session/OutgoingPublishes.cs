namespace PvMonitor.Mqtt.Session;

/// <summary>
/// In-flight tracking of our QoS 1 publishes: which packet ids await PUBACK, which are still to be sent, and the send
/// window (at most the broker's receive maximum unacknowledged at once). After a reconnect every unacknowledged
/// publish is queued again, in the original order, with DUP set on those that had been sent.
/// Not thread-safe: the client calls it under its lock.
/// </summary>
internal sealed class OutgoingPublishes
{
    private readonly Dictionary<ushort, PendingPublish> _byId = [];
    private readonly Queue<PendingPublish> _unsent = new();

    /// <summary>Publishes sent on the current connection and not acknowledged yet.</summary>
    public int SentCount { get; private set; }

    /// <summary>All publishes awaiting PUBACK, sent or not.</summary>
    public int Count => _byId.Count;

    public void Add(PendingPublish publish)
    {
        _byId.Add(publish.Packet.PacketId, publish);
        _unsent.Enqueue(publish);
    }

    /// <summary>The next publish to send while fewer than <paramref name="window"/> are unacknowledged on the wire.</summary>
    public bool TryTakeNext(int window, out PendingPublish next)
    {
        while (SentCount < window && _unsent.TryDequeue(out next!))
        {
            if (!_byId.ContainsKey(next.Packet.PacketId) || next.Sent)
                continue; // completed or failed meanwhile
            next.Sent = true;
            SentCount++;
            return true;
        }

        next = null!;
        return false;
    }

    /// <summary>Removes the publish with <paramref name="packetId"/> (PUBACK arrived or it failed); null when unknown.</summary>
    public PendingPublish? Remove(ushort packetId)
    {
        if (!_byId.Remove(packetId, out var publish))
            return null;
        if (publish.Sent)
            SentCount--;
        return publish;
    }

    /// <summary>The connection is gone: queue everything again in order, DUP on what had been sent. Returns how many had been sent.</summary>
    public int Requeue()
    {
        var all = new List<PendingPublish>(_byId.Values);
        all.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        _unsent.Clear();
        var resent = 0;
        foreach (var publish in all)
        {
            if (publish.Sent)
            {
                publish.Packet.Dup = true;
                publish.Sent = false;
                resent++;
            }

            _unsent.Enqueue(publish);
        }

        SentCount = 0;
        return resent;
    }

    /// <summary>Removes and returns everything (the client is stopping).</summary>
    public List<PendingPublish> RemoveAll()
    {
        var all = new List<PendingPublish>(_byId.Values);
        _byId.Clear();
        _unsent.Clear();
        SentCount = 0;
        return all;
    }
}
