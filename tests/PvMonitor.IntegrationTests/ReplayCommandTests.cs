using System.Text;
using PvMonitor.Cli;
using PvMonitor.IntegrationTests.Infrastructure;
using PvMonitor.Monitoring.Ingest.Mqtt;
using PvMonitor.Testing;

namespace PvMonitor.IntegrationTests;

/// <summary><c>pvmonitor replay</c> (MQTTnet publisher) against a real mosquitto.</summary>
public sealed class ReplayCommandTests
{
    [RequiresExecutableFact("mosquitto")]
    public async Task Replay_publishes_every_row_at_QoS1_to_its_string_topic_and_waits_for_every_acknowledgement()
    {
        await using var broker = await MosquittoServer.StartAsync();
        var csv = Path.Combine(broker.Directory, "rows.csv");
        var lines = new StringBuilder("time,plant,string,I,V,G,TExt,TMod,W,label\n");
        for (var i = 0; i < 300; i++)
            lines.Append(System.Globalization.CultureInfo.InvariantCulture, $"2026-06-10T10:{i / 10 % 60:D2}:00Z,p1,INV0{i % 2 + 1}/S{i % 10},7.5,610,{800 + i},21.5,44,2.5,N\n");
        await File.WriteAllTextAsync(csv, lines.ToString());
        await using var subscriber = new MqttIngestClient(new MqttIngestOptions { Port = broker.Port, ClientId = "replay-sub", CleanSession = true, Filter = "pv/#" });
        subscriber.Start();
        await subscriber.WaitUntilSubscribedAsync().WaitAsync(TimeSpan.FromSeconds(10));

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await PvMonitorCli.RunAsync(["replay", "--data", csv, "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--rate", "max", "--window", "16"], stdout, stderr);

        code.Should().Be(0, stderr.ToString());
        stdout.ToString().Should().Contain("300 messages published and acknowledged");
        var topics = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            var message = await subscriber.Messages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            message.Ack.Should().NotBeNull("replay publishes at QoS 1");
            topics.Add(message.Topic);
            if (i == 0) Encoding.UTF8.GetString(message.Payload.Span).Should().Be("""{"time":"2026-06-10T10:00:00Z","I":7.5,"V":610,"G":800,"TExt":21.5,"TMod":44,"W":2.5}""");
        }

        topics.Should().Equal(Enumerable.Range(0, 300).Select(i => $"pv/p1/INV0{i % 2 + 1}/S{i % 10}/telemetry"));
    }

    [Fact]
    public async Task Replay_to_a_broker_that_does_not_answer_fails_with_exit_code_1_naming_the_broker()
    {
        var csv = Path.GetTempFileName();
        await File.WriteAllTextAsync(csv, "time,plant,string,I,V,G,TExt,TMod,W\n2026-06-10T10:00:00Z,p1,S1,1,2,3,4,5,6\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var port = ExternalProgram.FreeTcpPort();
        var code = await PvMonitorCli.RunAsync(["replay", "--data", csv, "--broker", $"mqtt://127.0.0.1:{port}"], stdout, stderr);
        File.Delete(csv);
        code.Should().Be(1);
        stderr.ToString().Should().Contain($"cannot connect to mqtt://127.0.0.1:{port}");
    }
}
