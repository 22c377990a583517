using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using PvMonitor.Monitoring.Ingest.Mqtt;
using PvMonitor.Testing;

namespace PvMonitor.Monitoring.Tests.Ingest.Mqtt;

/// <summary>The MQTTnet-based subscriber against a real mosquitto 2 started by each test on a free port (skipped when mosquitto is not installed).</summary>
public class MqttIngestClientTests
{
    private const string Mosquitto = "mosquitto";

    [RequiresExecutableTheory(Mosquitto)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task QoS0_and_QoS1_messages_reach_the_subscriber_and_only_QoS1_ones_carry_an_acknowledgement(int version)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await StartedAsync(Options(broker, "sub", version, "pv/+/+/+"));
        using var publisher = await TestPublisher.ConnectAsync(broker.Port, "pub", version);
        await using var collector = new MessageCollector(subscriber);

        for (var i = 0; i < 100; i++)
        {
            await publisher.PublishAsync($"pv/p1/i{i % 3}/s1", i);
            await publisher.PublishAsync($"pv/p1/i{i % 3}/s2", 1000 + i, MqttQualityOfServiceLevel.AtMostOnce);
        }

        await collector.WaitForAsync(c => c.Messages.Count >= 200, "all 200 messages arrive");
        var qos1 = collector.Messages.Where(m => m.Topic.EndsWith("/s1", StringComparison.Ordinal)).ToList();
        qos1.Select(m => BitConverter.ToInt32(m.Payload.Span)).Should().Equal(Enumerable.Range(0, 100), "QoS 1 keeps order");
        qos1.Should().OnlyContain(m => m.Ack != null);
        collector.Messages.Where(m => m.Topic.EndsWith("/s2", StringComparison.Ordinal)).Should().HaveCount(100).And.OnlyContain(m => m.Ack == null);
        subscriber.GetHealth().MessagesReceived.Should().Be(200);
    }

    [RequiresExecutableTheory(Mosquitto)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task A_persistent_session_keeps_QoS1_messages_while_the_subscriber_is_away(int version)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using (await StartedAsync(Options(broker, "ingest-1", version)))
        {
        }

        using var publisher = await TestPublisher.ConnectAsync(broker.Port, "pub");
        for (var i = 0; i < 50; i++) await publisher.PublishAsync("pv/p1", i);

        await using var again = await StartedAsync(Options(broker, "ingest-1", version));
        await using var collector = new MessageCollector(again);
        await collector.WaitForAsync(c => c.Messages.Count >= 50, "the queued messages arrive");

        again.GetHealth().SessionPresent.Should().BeTrue(version == 5 ? "the session expiry is above MQTT 5's default of 0" : "clean session is off");
        collector.Sequences.Should().Equal(Enumerable.Range(0, 50));
    }

    [RequiresExecutableTheory(Mosquitto)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Messages_not_acknowledged_before_the_subscriber_went_away_are_redelivered(int version)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var publisher = await TestPublisher.ConnectAsync(broker.Port, "pub");
        var crashed = await StartedAsync(Options(broker, "ingest-1", version));
        for (var i = 0; i < 5; i++) await publisher.PublishAsync("pv/p1", i);
        for (var i = 0; i < 5; i++) await crashed.Messages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)); // received, never acknowledged

        await crashed.DisposeAsync(); // the process "dies" before storing anything

        await using var restarted = await StartedAsync(Options(broker, "ingest-1", version));
        await using var collector = new MessageCollector(restarted);
        await collector.WaitForAsync(c => c.Messages.Count >= 5, "the unacknowledged messages come back");
        collector.Sequences.Should().Equal(Enumerable.Range(0, 5));
    }

    [RequiresExecutableFact(Mosquitto)]
    public async Task Acknowledged_messages_are_not_redelivered_after_a_restart()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var publisher = await TestPublisher.ConnectAsync(broker.Port, "pub");
        await using (var first = await StartedAsync(Options(broker, "ingest-1")))
        {
            await using var collector = new MessageCollector(first);
            for (var i = 0; i < 20; i++) await publisher.PublishAsync("pv/p1", i);
            await collector.WaitForAsync(c => c.Messages.Count >= 20, "the first 20 arrive");
        }

        await publisher.PublishAsync("pv/p1", 20);
        await using var again = await StartedAsync(Options(broker, "ingest-1"));
        await using var next = new MessageCollector(again);
        await next.WaitForAsync(c => c.Messages.Count >= 1, "the message published while away arrives");
        await Task.Delay(300);
        next.Sequences.Should().Equal(20);
    }

    [RequiresExecutableFact(Mosquitto)]
    public async Task The_broker_restarting_mid_stream_loses_no_QoS1_message()
    {
        const int count = 3000;
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await StartedAsync(Options(broker, "restart-sub", filter: "pv/restart/#"));
        using var publisher = await TestPublisher.ConnectAsync(broker.Port, "restart-pub");
        await using var collector = new MessageCollector(subscriber);

        var publishing = publisher.PublishAllAsync(count, i => $"pv/restart/{i % 10}", window: 16, TimeSpan.FromSeconds(40));
        await collector.WaitForAsync(c => c.Messages.Count >= count / 5, "the stream is flowing");
        await broker.StopAsync();
        await Task.Delay(300); // the subscriber notices and retries against a dead port
        await broker.StartAgainAsync();

        await publishing.WaitAsync(TimeSpan.FromSeconds(45));
        await collector.WaitForAsync(c => c.Sequences.Distinct().Count() == count, $"all {count} sequence numbers arrive", 30);

        collector.Sequences.ToHashSet().Should().BeEquivalentTo(Enumerable.Range(0, count));
        subscriber.GetHealth().ReconnectCount.Should().BeGreaterThanOrEqualTo(1);
        subscriber.State.Should().Be(MqttConnectionState.Connected);
    }

    [RequiresExecutableFact(Mosquitto)]
    public async Task A_subscriber_started_while_the_broker_is_down_connects_when_it_comes_up()
    {
        await using var broker = await MosquittoBroker.StartAsync(start: false);
        await using var subscriber = new MqttIngestClient(Options(broker, "early"));
        subscriber.Start();
        await Until(() => subscriber.GetHealth().FailedConnectAttempts >= 2, "two failed attempts");
        subscriber.State.Should().Be(MqttConnectionState.Connecting);

        await broker.StartAgainAsync();
        await subscriber.WaitUntilSubscribedAsync().WaitAsync(TimeSpan.FromSeconds(10));
        using var publisher = await TestPublisher.ConnectAsync(broker.Port, "pub");
        await publisher.PublishAsync("pv/p1", 7);
        var message = await subscriber.Messages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        BitConverter.ToInt32(message.Payload.Span).Should().Be(7);
    }

    [RequiresExecutableFact(Mosquitto)]
    public async Task A_shared_subscription_splits_the_stream_between_two_workers()
    {
        const int count = 400;
        await using var broker = await MosquittoBroker.StartAsync();
        await using var workerA = await StartedAsync(Options(broker, "worker-a", filter: "$share/ingest/pv/#"));
        await using var workerB = await StartedAsync(Options(broker, "worker-b", filter: "$share/ingest/pv/#"));
        using var publisher = await TestPublisher.ConnectAsync(broker.Port, "pub");
        await using var a = new MessageCollector(workerA);
        await using var b = new MessageCollector(workerB);

        for (var i = 0; i < count; i++) await publisher.PublishAsync($"pv/p{i % 4}", i);

        await a.WaitForAsync(_ => a.Messages.Count + b.Messages.Count >= count, "every message reaches one worker");
        a.Messages.Should().NotBeEmpty();
        b.Messages.Should().NotBeEmpty();
        a.Sequences.Concat(b.Sequences).Should().BeEquivalentTo(Enumerable.Range(0, count), "each message goes to exactly one worker");
    }

    [RequiresExecutableFact(Mosquitto)]
    public async Task A_full_receive_queue_stops_socket_reads_until_the_consumer_catches_up()
    {
        // Below mosquitto's default max_inflight_messages (20), so the broker's own flow control is not what stops the stream.
        const int capacity = 10, count = 5000;
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await StartedAsync(Options(broker, "slow", configure: o => o.ReceiveQueueCapacity = capacity));
        using var publisher = await TestPublisher.ConnectAsync(broker.Port, "pub");
        await publisher.PublishAllAsync(count, _ => "pv/p1", window: 100, TimeSpan.FromSeconds(30));

        await Until(() => subscriber.GetHealth().ReceivePaused, "the reader pauses");
        await Task.Delay(500);
        var health = subscriber.GetHealth();
        health.ReceiveQueueLength.Should().Be(capacity);
        health.MessagesReceived.Should().Be(capacity + 1, "one message waits for room; nothing more is taken off the socket");

        await using var collector = new MessageCollector(subscriber);
        await collector.WaitForAsync(c => c.Messages.Count >= count, "the backlog drains once the consumer reads", 30);
        collector.Sequences.Should().Equal(Enumerable.Range(0, count));
    }

    [RequiresExecutableFact(Mosquitto)]
    public async Task A_paused_reader_keeps_its_connection_alive_past_several_keep_alive_intervals()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await StartedAsync(Options(broker, "paused", configure: o =>
        {
            o.KeepAliveSeconds = 2;
            o.ReceiveQueueCapacity = 5;
        }));
        using var publisher = await TestPublisher.ConnectAsync(broker.Port, "pub");
        await publisher.PublishAllAsync(200, _ => "pv/p1", window: 20, TimeSpan.FromSeconds(20));
        await Until(() => subscriber.GetHealth().ReceivePaused, "the reader pauses");

        await Task.Delay(TimeSpan.FromSeconds(7)); // 3.5 keep-alives without reading: PINGREQs still go out

        subscriber.GetHealth().ReconnectCount.Should().Be(0, "neither the broker nor our liveness check dropped the paused connection");
        await using var collector = new MessageCollector(subscriber);
        await collector.WaitForAsync(c => c.Messages.Count >= 200, "the backlog drains after the pause");
        collector.Sequences.Should().Equal(Enumerable.Range(0, 200));
    }

    [RequiresExecutableTheory(Mosquitto)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task A_wrong_password_is_refused_with_a_clear_log_line_and_retried(int version)
    {
        await using var broker = await MosquittoBroker.StartAsync(username: "ingest", password: "right");
        var logger = new CapturingLogger<MqttIngestClient>();
        await using var client = new MqttIngestClient(Options(broker, "pv", version, configure: o =>
        {
            o.Username = "ingest";
            o.Password = "wrong";
        }), logger);
        client.Start();

        await Until(() => client.GetHealth().FailedConnectAttempts >= 2, "two refused attempts");
        client.IsConnected.Should().BeFalse();
        // mosquitto 2.0 answers a bad password with "not authorised" (3.1.1 return code 5, MQTT 5 reason code 0x87).
        client.GetHealth().LastError.Should().Contain("NotAuthorized");
        logger.Lines.Should().Contain(l => l.Level == LogLevel.Error && l.Message.Contains("refused the connection: NotAuthorized", StringComparison.Ordinal)
            && l.Message.Contains("Mqtt:Password", StringComparison.Ordinal));

        await using var good = await StartedAsync(Options(broker, "pv2", version, configure: o =>
        {
            o.Username = "ingest";
            o.Password = "right";
        }));
        good.IsConnected.Should().BeTrue();
    }

    [RequiresExecutableFact(Mosquitto, "openssl")]
    public async Task Tls_with_a_private_ca_carries_messages_and_refuses_an_untrusted_or_misnamed_server()
    {
        var directory = Directory.CreateTempSubdirectory("pvmonitor-mosquitto-tls-").FullName;
        var certs = await TestCertificates.CreateAsync(directory);
        await using var broker = await MosquittoBroker.StartAsync(tls: certs, directory: directory);

        await using (var client = await StartedAsync(Options(broker, "tls", configure: o =>
        {
            o.Host = "localhost";
            o.UseTls = true;
            o.CaCertificateFile = certs.CaFile;
        })))
        {
            client.IsConnected.Should().BeTrue();
        }

        await using var untrusting = new MqttIngestClient(Options(broker, "tls-2", configure: o =>
        {
            o.Host = "localhost";
            o.UseTls = true;
            o.CaCertificateFile = certs.OtherCaFile;
        }));
        untrusting.Start();
        await Until(() => untrusting.GetHealth().FailedConnectAttempts >= 1, "the untrusted server is refused");
        untrusting.IsConnected.Should().BeFalse();

        await using var wrongName = new MqttIngestClient(Options(broker, "tls-3", configure: o =>
        {
            o.Host = "127.0.0.1";
            o.TlsServerName = "broker.example.org";
            o.UseTls = true;
            o.CaCertificateFile = certs.CaFile;
        }));
        wrongName.Start();
        await Until(() => wrongName.GetHealth().FailedConnectAttempts >= 1, "the certificate is not for that name");
        wrongName.IsConnected.Should().BeFalse();
    }

    [RequiresExecutableFact(Mosquitto, "openssl")]
    public async Task Mutual_tls_needs_the_client_certificate()
    {
        var directory = Directory.CreateTempSubdirectory("pvmonitor-mosquitto-mtls-").FullName;
        var certs = await TestCertificates.CreateAsync(directory);
        await using var broker = await MosquittoBroker.StartAsync(tls: certs, requireClientCertificate: true, directory: directory);

        await using var withCertificate = await StartedAsync(Options(broker, "mtls", configure: o =>
        {
            o.UseTls = true;
            o.CaCertificateFile = certs.CaFile;
            o.ClientCertificateFile = certs.ClientCertFile;
            o.ClientKeyFile = certs.ClientKeyFile;
        }));
        withCertificate.IsConnected.Should().BeTrue();

        await using var without = new MqttIngestClient(Options(broker, "mtls-2", configure: o =>
        {
            o.UseTls = true;
            o.CaCertificateFile = certs.CaFile;
        }));
        without.Start();
        await Until(() => without.GetHealth().FailedConnectAttempts >= 1, "the broker refuses a client without a certificate");
        without.IsConnected.Should().BeFalse();
    }

    private static async Task<MqttIngestClient> StartedAsync(MqttIngestOptions options)
    {
        var client = new MqttIngestClient(options);
        client.Start();
        try
        {
            await client.WaitUntilSubscribedAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch
        {
            var error = client.GetHealth().LastError;
            await client.DisposeAsync();
            throw new Xunit.Sdk.XunitException($"Not subscribed within 10 s: {error}");
        }

        return client;
    }

    private static async Task Until(Func<bool> condition, string what, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting until " + what);
            await Task.Delay(10);
        }
    }

    private static MqttIngestOptions Options(MosquittoBroker broker, string clientId, int version = 4, string filter = "pv/#",
        Action<MqttIngestOptions>? configure = null)
    {
        var options = new MqttIngestOptions
        {
            Host = "127.0.0.1",
            Port = broker.Port,
            ClientId = clientId,
            ProtocolVersion = version,
            Filter = filter,
            KeepAliveSeconds = 5,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(options);
        return options;
    }
}
