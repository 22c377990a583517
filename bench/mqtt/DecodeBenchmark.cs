using System.Buffers;
using System.Diagnostics;
using PvMonitor.Mqtt.Formatting;
using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Bench;

/// <summary>
/// The receive hot path without a network: frame header, PUBLISH view (topic and property validation) over a buffer
/// of back-to-back 3.1.1 QoS 1 frames, on one thread. Reports frames per second and bytes allocated per frame.
/// </summary>
internal static class DecodeBenchmark
{
    public static int Run(int count, int size, int repeats)
    {
        var frames = new ArrayBufferWriter<byte>();
        const int distinct = 1024;
        for (var i = 0; i < distinct; i++)
        {
            MqttPacketEncoder.Encode(new PublishPacket
            {
                Topic = $"pv/plant-{i % 8}/inverter-{i % 16}/string-{i % 4}", Payload = new byte[size],
                QoS = Mqtt.MqttQualityOfService.AtLeastOnce, PacketId = (ushort)(i + 1),
            }, Mqtt.MqttProtocolVersion.V311, frames);
        }

        var buffer = frames.WrittenMemory;
        var decoder = new MqttPacketDecoder(Mqtt.MqttProtocolVersion.V311, 1 << 20);
        var rates = new List<double>();
        for (var r = 0; r < repeats; r++)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var stopwatch = Stopwatch.StartNew();
            long checksum = 0;
            var done = 0;
            while (done < count)
            {
                var span = buffer.Span;
                while (done < count && decoder.TryReadHeader(span, out var header) && span.Length >= header.FrameLength)
                {
                    var view = decoder.DecodePublish(header, span.Slice(header.HeaderLength, header.RemainingLength));
                    checksum += view.PacketId + view.Topic.Length + view.Payload.Length;
                    span = span.Slice(header.FrameLength);
                    done++;
                }
            }

            stopwatch.Stop();
            var perFrame = (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / count;
            rates.Add(count / stopwatch.Elapsed.TotalSeconds);
            Console.WriteLine($"decode repeat={r} frames={count} rate={count / stopwatch.Elapsed.TotalSeconds:F0} alloc_bytes_per_frame={perFrame:F2} checksum={checksum}");
        }

        rates.Sort();
        Console.WriteLine($"decode median_rate={rates[rates.Count / 2]:F0} frames/s ({size}-byte payloads, one thread)");
        return 0;
    }
}
