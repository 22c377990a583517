using System.Security.Authentication;
using PvMonitor.Testing;

namespace PvMonitor.Mqtt.Tests.Integration;

/// <summary>The client against a real mosquitto 2 started by each test on a free port (skipped when mosquitto is not installed).</summary>
public class MosquittoTests
{
    private const string Mosquitto = "mosquitto";

    [RequiresExecutableTheory(Mosquitto)]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task QoS0_and_QoS1_messages_reach_a_subscriber(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = new MqttClient(Options(broker, "sub", version));
        await using var publisher = new MqttClient(Options(broker, "pub", version));
        await subscriber.ConnectAsync();
        await publisher.ConnectAsync();
        (await subscriber.SubscribeAsync("pv/+/+/+")).Should().Equal(MqttReasonCode.GrantedQoS1);
        await using var collector = new MessageCollector(subscriber);

        for (var i = 0; i < 100; i++)
        {
            await publisher.PublishAsync($"pv/p1/i{i % 3}/s1", BitConverter.GetBytes(i), MqttQualityOfService.AtLeastOnce);
            await publisher.PublishAsync($"pv/p1/i{i % 3}/s2", BitConverter.GetBytes(1000 + i), MqttQualityOfService.AtMostOnce);
        }

        await collector.WaitForAsync(c => c.Messages.Count >= 200, "all 200 messages arrive");
        var qos1 = collector.Messages.Where(m => m.QoS == MqttQualityOfService.AtLeastOnce).ToList();
        qos1.Select(m => BitConverter.ToInt32(m.Payload.Span)).Should().Equal(Enumerable.Range(0, 100), "QoS 1 keeps order");
        qos1.Should().OnlyContain(m => m.Topic.EndsWith("/s1") && !m.Retain && !m.Dup);
        collector.Messages.Where(m => m.QoS == MqttQualityOfService.AtMostOnce).Should().HaveCount(100);
        subscriber.GetHealth().MessagesReceived.Should().Be(200);
    }

    [RequiresExecutableFact(Mosquitto)]
    public async Task A_retained_message_is_delivered_to_a_later_subscriber_with_the_retain_flag()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var publisher = new MqttClient(Options(broker, "pub"));
        await publisher.ConnectAsync();
        await publisher.PublishAsync("pv/status/plant-1", "online"u8.ToArray(), MqttQualityOfService.AtLeastOnce, retain: true);

        await using var subscriber = new MqttClient(Options(broker, "late-sub"));
        await subscriber.ConnectAsync();
        await subscriber.SubscribeAsync("pv/status/#");
        var message = await subscriber.Messages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        message.Topic.Should().Be("pv/status/plant-1");
        message.Retain.Should().BeTrue();
        message.Payload.ToArray().Should().Equal("online"u8.ToArray());
        await message.AckAsync();
    }

    [RequiresExecutableFact(Mosquitto)]
    public async Task A_persistent_session_keeps_QoS1_messages_while_the_subscriber_is_away()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using (var first = new MqttClient(Options(broker, "ingest-1")))
        {
            await first.ConnectAsync();
            await first.SubscribeAsync("pv/#");
        }

        await using var publisher = new MqttClient(Options(broker, "pub"));
        await publisher.ConnectAsync();
        for (var i = 0; i < 50; i++)
            await publisher.PublishAsync("pv/p1", BitConverter.GetBytes(i));

        await using var again = new MqttClient(Options(broker, "ingest-1"));
        await again.ConnectAsync();
        await using var collector = new MessageCollector(again);
        await collector.WaitForAsync(c => c.Messages.Count >= 50, "the queued messages arrive");

        again.GetHealth().SessionPresent.Should().BeTrue();
        collector.Sequences.Should().Equal(Enumerable.Range(0, 50));
    }

    [RequiresExecutableFact(Mosquitto)]
    public async Task Messages_not_acked_before_a_crash_are_redelivered_with_dup()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var publisher = new MqttClient(Options(broker, "pub"));
        await publisher.ConnectAsync();
        var crashed = new MqttClient(Options(broker, "ingest-1"));
        await crashed.ConnectAsync();
        await crashed.SubscribeAsync("pv/#");
        for (var i = 0; i < 5; i++)
            await publisher.PublishAsync("pv/p1", BitConverter.GetBytes(i));
        for (var i = 0; i < 5; i++)
            await crashed.Messages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)); // received, never acked

        await crashed.DisposeAsync(); // the process "dies" before storing anything

        await using var restarted = new MqttClient(Options(broker, "ingest-1"));
        await restarted.ConnectAsync();
        await using var collector = new MessageCollector(restarted);
        await collector.WaitForAsync(c => c.Messages.Count >= 5, "the unacknowledged messages come back");
        collector.Sequences.Should().Equal(Enumerable.Range(0, 5));
        collector.Messages.Should().OnlyContain(m => m.Dup, "they are redeliveries");
    }

    [RequiresExecutableFact(Mosquitto)]
    public async Task The_broker_restarting_mid_stream_loses_no_QoS1_message()
    {
        const int count = 3000;
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = new MqttClient(Options(broker, "restart-sub"));
        await using var publisher = new MqttClient(Options(broker, "restart-pub", configure: o => o.MaxInflightPublishes = 16));
        await subscriber.ConnectAsync();
        await publisher.ConnectAsync();
        await subscriber.SubscribeAsync("pv/restart/#");
        await using var collector = new MessageCollector(subscriber);

        // All publishes at once: the client keeps 16 in flight and holds the rest until PUBACKs free a slot.
        var publishing = Task.WhenAll(Enumerable.Range(0, count).Select(i => publisher.PublishAsync($"pv/restart/{i % 10}", BitConverter.GetBytes(i))));

        await collector.WaitForAsync(c => c.Messages.Count >= count / 5, "the stream is flowing");
        await broker.StopAsync();
        await Task.Delay(300); // both clients notice and start retrying against a dead port
        await broker.StartAgainAsync();

        await publishing.WaitAsync(TimeSpan.FromSeconds(30));
        await collector.WaitForAsync(c => c.Sequences.Distinct().Count() == count, $"all {count} sequence numbers arrive", 30);

        collector.Sequences.ToHashSet().Should().BeEquivalentTo(Enumerable.Range(0, count));
        subscriber.GetHealth().ReconnectCount.Should().BeGreaterThanOrEqualTo(1);
        publisher.GetHealth().ReconnectCount.Should().BeGreaterThanOrEqualTo(1);
        subscriber.State.Should().Be(MqttConnectionState.Connected);
    }

    [RequiresExecutableFact(Mosquitto)]
    public async Task A_shared_subscription_splits_the_stream_between_two_workers()
    {
        const int count = 400;
        await using var broker = await MosquittoBroker.StartAsync();
        await using var workerA = new MqttClient(Options(broker, "worker-a"));
        await using var workerB = new MqttClient(Options(broker, "worker-b"));
        await using var publisher = new MqttClient(Options(broker, "pub"));
        await workerA.ConnectAsync();
        await workerB.ConnectAsync();
        await publisher.ConnectAsync();
        await workerA.SubscribeAsync("$share/ingest/pv/#");
        await workerB.SubscribeAsync("$share/ingest/pv/#");
        await using var a = new MessageCollector(workerA);
        await using var b = new MessageCollector(workerB);

        for (var i = 0; i < count; i++)
            await publisher.PublishAsync($"pv/p{i % 4}", BitConverter.GetBytes(i));

        await a.WaitForAsync(_ => a.Messages.Count + b.Messages.Count >= count, "every message reaches one worker");
        a.Messages.Should().NotBeEmpty();
        b.Messages.Should().NotBeEmpty();
        a.Sequences.Concat(b.Sequences).Should().BeEquivalentTo(Enumerable.Range(0, count), "each message goes to exactly one worker");
    }

    [RequiresExecutableFact(Mosquitto)]
    public async Task Batches_of_QoS1_publishes_are_not_held_back_by_delayed_acks()
    {
        // A default mosquitto has Nagle on: each batch's last PUBACKs wait for our ACK. Without TCP_QUICKACK the
        // kernel delays that ACK ~40 ms per batch, so 50 batches take over 2 s; with it, a small fraction of that.
        await using var broker = await MosquittoBroker.StartAsync();
        await using var publisher = new MqttClient(Options(broker, "pub", configure: o => o.MaxInflightPublishes = 16));
        await publisher.ConnectAsync();
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        for (var batch = 0; batch < 50; batch++)
            await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => publisher.PublishAsync("pv/batch", new byte[100])));

        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1.5));
    }

    [RequiresExecutableFact(Mosquitto)]
    public async Task A_message_over_the_maximum_packet_size_is_dropped_and_does_not_block_the_session()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = new MqttClient(Options(broker, "sub", configure: o => o.MaxPacketSize = 64 * 1024));
        await using var publisher = new MqttClient(Options(broker, "pub"));
        await subscriber.ConnectAsync();
        await publisher.ConnectAsync();
        await subscriber.SubscribeAsync("pv/#");
        await using var collector = new MessageCollector(subscriber);

        await publisher.PublishAsync("pv/huge", new byte[2_000_000]);
        await publisher.PublishAsync("pv/small", BitConverter.GetBytes(1));

        await collector.WaitForAsync(c => !c.Messages.IsEmpty, "the message after the oversized one arrives");
        collector.Messages.Single().Topic.Should().Be("pv/small");
        subscriber.GetHealth().OversizedMessagesDropped.Should().Be(1);
        subscriber.GetHealth().ReconnectCount.Should().Be(0);
    }

    [RequiresExecutableTheory(Mosquitto)]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_wrong_password_is_a_clear_typed_error(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync(username: "ingest", password: "right");
        await using var client = new MqttClient(Options(broker, "pv", version, o =>
        {
            o.Username = "ingest";
            o.Password = "wrong";
        }));

        var error = (await client.Invoking(c => c.ConnectAsync()).Should().ThrowAsync<MqttConnectException>()).Which;

        // mosquitto 2.0 answers a bad password with "not authorised" (3.1.1 code 5, MQTT 5 0x87).
        error.ReasonCode.Should().Be(MqttReasonCode.NotAuthorized);
        error.IsConfigurationError.Should().BeTrue();
        client.GetHealth().LastError.Should().Contain("NotAuthorized");

        await using var good = new MqttClient(Options(broker, "pv2", version, o =>
        {
            o.Username = "ingest";
            o.Password = "right";
        }));
        await good.ConnectAsync();
        good.IsConnected.Should().BeTrue();
    }

    [RequiresExecutableFact(Mosquitto, "openssl")]
    public async Task Tls_with_a_private_ca_carries_messages_and_refuses_an_untrusted_server()
    {
        var directory = Directory.CreateTempSubdirectory("pvmonitor-mosquitto-tls-").FullName;
        var certs = await TestCertificates.CreateAsync(directory);
        await using var broker = await MosquittoBroker.StartAsync(tls: certs, directory: directory);

        await using var client = new MqttClient(Options(broker, "tls", configure: o =>
        {
            o.Host = "localhost";
            o.UseTls = true;
            o.CaCertificateFile = certs.CaFile;
        }));
        await client.ConnectAsync();
        await client.SubscribeAsync("pv/tls");
        await client.PublishAsync("pv/tls", "secret"u8.ToArray());
        var message = await client.Messages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        message.Payload.ToArray().Should().Equal("secret"u8.ToArray());

        await using var untrusting = new MqttClient(Options(broker, "tls-2", configure: o =>
        {
            o.Host = "localhost";
            o.UseTls = true;
            o.CaCertificateFile = certs.OtherCaFile;
        }));
        var error = (await untrusting.Invoking(c => c.ConnectAsync()).Should().ThrowAsync<MqttCommunicationException>()).Which;
        error.InnerException.Should().BeOfType<AuthenticationException>();

        await using var wrongName = new MqttClient(Options(broker, "tls-3", configure: o =>
        {
            o.Host = "127.0.0.1";
            o.TlsServerName = "broker.example.org";
            o.UseTls = true;
            o.CaCertificateFile = certs.CaFile;
        }));
        await wrongName.Invoking(c => c.ConnectAsync()).Should().ThrowAsync<MqttCommunicationException>("the certificate is not for that name");
    }

    [RequiresExecutableFact(Mosquitto, "openssl")]
    public async Task Mutual_tls_needs_the_client_certificate()
    {
        var directory = Directory.CreateTempSubdirectory("pvmonitor-mosquitto-mtls-").FullName;
        var certs = await TestCertificates.CreateAsync(directory);
        await using var broker = await MosquittoBroker.StartAsync(tls: certs, requireClientCertificate: true, directory: directory);

        await using var withCertificate = new MqttClient(Options(broker, "mtls", configure: o =>
        {
            o.Host = "127.0.0.1";
            o.UseTls = true;
            o.CaCertificateFile = certs.CaFile;
            o.ClientCertificateFile = certs.ClientCertFile;
            o.ClientKeyFile = certs.ClientKeyFile;
        }));
        await withCertificate.ConnectAsync();
        withCertificate.IsConnected.Should().BeTrue();

        await using var without = new MqttClient(Options(broker, "mtls-2", configure: o =>
        {
            o.Host = "127.0.0.1";
            o.UseTls = true;
            o.CaCertificateFile = certs.CaFile;
        }));
        await without.Invoking(c => c.ConnectAsync()).Should().ThrowAsync<MqttCommunicationException>();
    }

    private static MqttClientOptions Options(MosquittoBroker broker, string clientId, MqttProtocolVersion version = MqttProtocolVersion.V311,
        Action<MqttClientOptions>? configure = null)
    {
        var options = new MqttClientOptions
        {
            Host = "127.0.0.1",
            Port = broker.Port,
            ClientId = clientId,
            ProtocolVersion = version,
            KeepAliveSeconds = 5,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(options);
        return options;
    }
}
