namespace PvMonitor.Mqtt.Session;

/// <summary>
/// Keep-alive decisions as a pure state machine over timestamps (from <see cref="TimeProvider.GetTimestamp"/>):
/// ping when nothing was sent, or nothing received, for 3/4 of the keep-alive; the peer is dead when a ping
/// stays unanswered (no byte at all received) for the ping timeout. While the application's queue is full and the
/// socket is deliberately not read, silence proves nothing, so no verdict is given until reading resumes.
/// </summary>
internal sealed class KeepAliveMonitor
{
    private readonly Lock _gate = new();
    private readonly long _pingInterval;
    private readonly long _pingTimeout;
    private long _lastSent;
    private long _lastReceived;
    private long _pingSentAt;
    private bool _pingOutstanding;
    private bool _paused;

    /// <param name="keepAlive">Negotiated keep-alive; zero disables the monitor.</param>
    /// <param name="pingTimeout">How long a PINGREQ may stay unanswered.</param>
    /// <param name="timestampFrequency">Ticks per second of the timestamps passed in.</param>
    /// <param name="now">Timestamp of the CONNACK.</param>
    public KeepAliveMonitor(TimeSpan keepAlive, TimeSpan pingTimeout, long timestampFrequency, long now)
    {
        _pingInterval = (long)(keepAlive.TotalSeconds * 0.75 * timestampFrequency);
        _pingTimeout = (long)(pingTimeout.TotalSeconds * timestampFrequency);
        _lastSent = now;
        _lastReceived = now;
    }

    public bool Enabled => _pingInterval > 0;

    public void OnSent(long now)
    {
        lock (_gate)
            _lastSent = Math.Max(_lastSent, now);
    }

    public void OnReceived(long now)
    {
        lock (_gate)
        {
            _lastReceived = Math.Max(_lastReceived, now);
            _pingOutstanding = false;
        }
    }

    /// <summary>Reading stopped because the receive queue is full.</summary>
    public void Pause()
    {
        lock (_gate)
            _paused = true;
    }

    /// <summary>Reading resumed: start the silence clock afresh.</summary>
    public void Resume(long now)
    {
        lock (_gate)
        {
            _paused = false;
            _lastReceived = Math.Max(_lastReceived, now);
            _pingOutstanding = false;
        }
    }

    /// <summary>What to do at <paramref name="now"/>. After <see cref="KeepAliveAction.SendPing"/> the ping counts as sent.</summary>
    public KeepAliveAction Evaluate(long now)
    {
        if (!Enabled)
            return KeepAliveAction.None;
        lock (_gate)
        {
            if (_pingOutstanding && !_paused && now - _pingSentAt >= _pingTimeout)
                return KeepAliveAction.PeerDead;

            // The broker needs a packet from us every keep-alive period even while we are not reading (paused),
            // so the "nothing sent" rule ignores an outstanding ping; the "nothing received" probe does not.
            var probe = !_paused && !_pingOutstanding && now - _lastReceived >= _pingInterval;
            if (now - _lastSent >= _pingInterval || probe)
            {
                if (!_pingOutstanding)
                {
                    _pingOutstanding = true;
                    _pingSentAt = now;
                }

                _lastSent = now;
                return KeepAliveAction.SendPing;
            }

            return KeepAliveAction.None;
        }
    }
}
