// Telemetry load generator for bench/worker: publishes JSON telemetry (QoS 1, MQTTnet's low-level client: PUBLISH packets
// written through a 64 KiB write buffer, a window of W awaiting PUBACK; the high-level MqttClient cost too much CPU per publish
// to offer 20,000 msg/s on the shared cores) for S strings at a fixed rate or as fast as the
// broker acknowledges, with "time" = the publish time in epoch ms (made unique per string), so the worker's
// pvmonitor_sample_age_at_store_seconds histogram is the publish-to-stored latency.
//   dotnet LoadGen.dll --port P [--count N] [--seconds T] [--rate R|max] [--strings S] [--window W] [--client-id ID]
using System.Diagnostics;
using System.Globalization;
using System.Text;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using PvMonitor.Worker.LoadGen;

var args2 = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal)).ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "");
string Arg(string name, string fallback) => args2.TryGetValue(name, out var v) ? v : fallback;
var port = int.Parse(Arg("port", "1883"), CultureInfo.InvariantCulture);
var rateText = Arg("rate", "max");
double? rate = rateText == "max" ? null : double.Parse(rateText, CultureInfo.InvariantCulture);
var seconds = double.Parse(Arg("seconds", "0"), CultureInfo.InvariantCulture);
var count = long.Parse(Arg("count", rate is { } r0 && seconds > 0 ? ((long)(r0 * seconds)).ToString(CultureInfo.InvariantCulture) : "100000"), CultureInfo.InvariantCulture);
var strings = int.Parse(Arg("strings", "1000"), CultureInfo.InvariantCulture);
var window = int.Parse(Arg("window", "2000"), CultureInfo.InvariantCulture);

var streams = new WriteBufferedStreamProvider();
using var client = new MqttClientFactory().CreateLowLevelMqttClient();
await client.ConnectAsync(new MqttClientOptionsBuilder()
    .WithTcpServer("127.0.0.1", port)
    .WithStreamProvider(streams)
    .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
    .Build(), CancellationToken.None);
await client.SendAsync(new MqttConnectPacket { ClientId = Arg("client-id", "loadgen-" + Environment.ProcessId), CleanSession = true }, CancellationToken.None);
await streams.Stream!.FlushAsync();
if (await client.ReceiveAsync(CancellationToken.None) is not MqttConnAckPacket { ReturnCode: MqttConnectReturnCode.ConnectionAccepted })
    throw new InvalidOperationException("The broker refused the load generator.");
var slots = new SemaphoreSlim(window, window);
var acked = 0L;
var acks = Task.Run(async () =>
{
    while (Interlocked.Read(ref acked) < count)
    {
        if (await client.ReceiveAsync(CancellationToken.None) is MqttPubAckPacket)
        {
            Interlocked.Increment(ref acked);
            slots.Release();
        }
    }
});
ushort packetId = 0;
var topics = Enumerable.Range(0, strings).Select(s => $"pv/bench/INV{s / 10:D3}/S{s % 10}/telemetry").ToArray();
var lastMs = new long[strings];
var clock = Stopwatch.StartNew();
var sb = new StringBuilder(160);
for (long n = 0; n < count; n++)
{
    var s = (int)(n % strings);
    var ms = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), lastMs[s] + 1);
    lastMs[s] = ms;
    var k = n % 97;
    sb.Clear().Append(CultureInfo.InvariantCulture, $"{{\"time\":{ms},\"I\":{7.5 + k * 0.01:0.000},\"V\":{610 + k * 0.1:0.0},\"G\":{820 + k},\"TExt\":21.5,\"TMod\":44.0,\"W\":2.5}}");
    if (!slots.Wait(0))
    {
        await streams.Stream.FlushAsync();
        await slots.WaitAsync();
    }

    packetId = (ushort)(packetId % 65535 + 1); // mosquitto acknowledges in order, so with window <= 65,535 no id is in use twice
    await client.SendAsync(new MqttPublishPacket
    {
        Topic = topics[s],
        PayloadSegment = Encoding.UTF8.GetBytes(sb.ToString()),
        QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
        PacketIdentifier = packetId,
    }, CancellationToken.None);
    if (rate is { } perSecond)
    {
        var ahead = TimeSpan.FromSeconds((n + 1) / perSecond) - clock.Elapsed;
        if (ahead > TimeSpan.FromMilliseconds(1))
        {
            await streams.Stream.FlushAsync();
            await Task.Delay(ahead);
        }
    }
}

await streams.Stream.FlushAsync();
await acks;
var elapsed = clock.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"published={count} seconds={elapsed:0.000} rate={count / elapsed:0}"));
await client.SendAsync(new MqttDisconnectPacket(), CancellationToken.None);
await streams.Stream.FlushAsync();
