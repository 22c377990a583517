using System.Globalization;
using PvMonitor.Mqtt.Bench;

var mode = args.Length > 0 ? args[0] : "";
string Str(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

int Int(string name, int fallback) => int.Parse(Str(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

var receive = new ReceiveSettings(Str("--host", "127.0.0.1"), Int("--port", 1883), Str("--topic", "bench/t"), Int("--qos", 1), Int("--count", 100_000),
    Str("--client-id", "pvmonitor-bench"), Str("--session", "clean") == "persistent", Str("--ready-file", ""), Int("--consume-rate", 0), Int("--queue", 4096));
return mode switch
{
    "publish" => await PublishBenchmark.RunAsync(Str("--host", "127.0.0.1"), Int("--port", 1883), Str("--topic", "bench/t"), Int("--qos", 1),
        Int("--count", 100_000), Int("--size", 100), Int("--window", 256)),
    "receive" => Str("--client", "adapter") == "mqttnet" ? await HighLevelReceiveBenchmark.RunAsync(receive) : await AdapterReceiveBenchmark.RunAsync(receive),
    "subscribe-only" => await AdapterReceiveBenchmark.SubscribeOnlyAsync(receive),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: publish        --port P --topic T --qos 0|1 [--count N] [--size BYTES] [--window N]     (MQTTnet MqttClient)
               receive        --port P --topic T --qos 0|1 [--client adapter|mqttnet] [--count N] [--client-id ID]
                              [--session clean|persistent] [--ready-file F] [--consume-rate MSG_PER_S] [--queue N]
                   adapter: PvMonitor's MqttIngestClient (MQTTnet low-level client, reads only when its bounded queue has room)
                   mqttnet: MQTTnet's MqttClient, AutoAcknowledge off, handler waits for room in a bounded queue, AcknowledgeAsync
               subscribe-only --port P --topic T --client-id ID   (creates a persistent QoS 1 session, then leaves)
        """);
    return 2;
}
