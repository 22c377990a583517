using System.Globalization;
using PvMonitor.Mqtt;
using PvMonitor.Mqtt.Bench;

var mode = args.Length > 0 ? args[0] : "";
string Str(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

int Int(string name, int fallback) => int.Parse(Str(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
MqttQualityOfService QoS() => (MqttQualityOfService)Int("--qos", 0);

return mode switch
{
    "publish" => await PublishBenchmark.RunAsync(Str("--host", "127.0.0.1"), Int("--port", 1883), Str("--topic", "bench/t"), QoS(),
        Int("--count", 100_000), Int("--size", 100), Int("--window", 256)),
    "receive" => await ReceiveBenchmark.RunAsync(Str("--host", "127.0.0.1"), Int("--port", 1883), Str("--topic", "bench/t"), QoS(),
        Int("--count", 100_000), Str("--client-id", "pvmonitor-bench"), Str("--session", "clean"), Str("--ready-file", "")),
    "subscribe-only" => await ReceiveBenchmark.SubscribeOnlyAsync(Str("--host", "127.0.0.1"), Int("--port", 1883), Str("--topic", "bench/t"), QoS(),
        Str("--client-id", "pvmonitor-bench")),
    "decode" => DecodeBenchmark.Run(Int("--count", 2_000_000), Int("--size", 100), Int("--repeats", 5)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: publish        --port P --topic T --qos 0|1 [--count N] [--size BYTES] [--window N]
               receive        --port P --topic T --qos 0|1 [--count N] [--client-id ID] [--session clean|persistent] [--ready-file F]
               subscribe-only --port P --topic T --qos 0|1 --client-id ID   (creates a persistent session, then leaves)
               decode         [--count N] [--size BYTES] [--repeats N]     (codec only, in memory, one thread)
        """);
    return 2;
}
