using PvMonitor.Mqtt.Packets;
using PvMonitor.Mqtt.Tests.Support;

namespace PvMonitor.Mqtt.Tests.Session;

/// <summary>A client wired to a <see cref="FakeBroker"/> and a <see cref="ManualTimeProvider"/>.</summary>
internal sealed class SessionHarness : IAsyncDisposable
{
    public SessionHarness(Action<MqttClientOptions>? configure = null, MqttProtocolVersion version = MqttProtocolVersion.V311,
        long pipeThreshold = 64 * 1024, int seed = 42)
    {
        Options = new MqttClientOptions
        {
            ClientId = "pv-test",
            ProtocolVersion = version,
            KeepAliveSeconds = 10,
            PingTimeout = TimeSpan.FromSeconds(5),
            ReconnectMinDelay = TimeSpan.FromSeconds(1),
            ReconnectMaxDelay = TimeSpan.FromSeconds(8),
        };
        configure?.Invoke(Options);
        Broker = new FakeBroker(version, pipeThreshold);
        Client = new MqttClient(Options, timeProvider: Time, random: new Random(seed), channelFactory: Broker);
        Client.StateChanged += (_, e) =>
        {
            lock (States)
                States.Add(e.Current);
        };
    }

    public MqttClientOptions Options { get; }

    public ManualTimeProvider Time { get; } = new();

    public FakeBroker Broker { get; }

    public MqttClient Client { get; }

    public List<MqttConnectionState> States { get; } = [];

    /// <summary>Connects the client; returns the broker's end and the CONNECT it received.</summary>
    public async Task<(FakeBrokerConnection Connection, ConnectPacket Connect)> ConnectAsync(bool sessionPresent = false, ConnAckPacket? connAck = null)
    {
        var connecting = Client.ConnectAsync();
        var accepted = await Broker.AcceptAndAckAsync(sessionPresent, connAck);
        await connecting.WaitAsync(TimeSpan.FromSeconds(10));
        return accepted;
    }

    /// <summary>Advances the clock in steps, each time waiting until some timer is armed again (loops re-arm after they run).</summary>
    public async Task AdvanceAsync(TimeSpan total, TimeSpan step)
    {
        for (var passed = TimeSpan.Zero; passed < total; passed += step)
        {
            await Eventually.True(() => Time.PendingTimers > 0, "a timer is armed");
            Time.Advance(step);
        }
    }

    public async ValueTask DisposeAsync()
    {
        var dispose = Client.DisposeAsync().AsTask();
        // A graceful disconnect waits up to 2 s (manual clock) for DISCONNECT to be written.
        while (!dispose.IsCompleted)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(dispose, Task.Delay(5));
        }

        await dispose;
    }
}
