using System.Buffers;
using System.Diagnostics;
using PvMonitor.Mqtt.Formatting;
using PvMonitor.Mqtt.Tests.Support;

namespace PvMonitor.Mqtt.Tests.Formatting;

/// <summary>
/// Random and mutated input must only ever produce packets, "need more data", or <see cref="MqttProtocolException"/>:
/// no other exception, no hang (every call either consumes bytes or asks for more), and no allocation driven by a
/// claimed length (the decoder is capped at 4 KiB here, so a huge claimed length must throw, not be buffered).
/// </summary>
public class FuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1.5);

    [Theory]
    [InlineData(MqttProtocolVersion.V311, 1)]
    [InlineData(MqttProtocolVersion.V500, 2)]
    public void Random_bytes_never_crash_or_hang_the_decoder(MqttProtocolVersion version, int seed)
    {
        var random = new Random(seed);
        var decoder = new MqttPacketDecoder(version, maxPacketSize: 4096);
        var buffer = new byte[256];
        var stopwatch = Stopwatch.StartNew();
        var (packets, errors, iterations) = (0, 0, 0);
        while (stopwatch.Elapsed < Budget)
        {
            var length = random.Next(buffer.Length + 1);
            random.NextBytes(buffer.AsSpan(0, length));
            // Bias the first byte towards valid packet types so the bodies get exercised, not just the header check.
            if (length > 0 && random.Next(2) == 0)
                buffer[0] = (byte)((random.Next(1, 15) << 4) | (buffer[0] & 0x0F));
            if (length > 1 && random.Next(2) == 0)
                buffer[1] = (byte)random.Next(0, Math.Min(128, length));
            (packets, errors) = Feed(decoder, buffer.AsSpan(0, length), packets, errors);
            iterations++;
        }

        iterations.Should().BeGreaterThan(10_000);
        (packets + errors).Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Mutated_golden_frames_never_crash_or_hang_the_decoder(int seed)
    {
        var random = new Random(seed);
        var frames = GoldenFrames.All.Values.Select(f => (f.Version, Bytes: Hex.Bytes(f.Hex))).ToArray();
        var decoders = new Dictionary<MqttProtocolVersion, MqttPacketDecoder>
        {
            [MqttProtocolVersion.V311] = new(MqttProtocolVersion.V311, 4096),
            [MqttProtocolVersion.V500] = new(MqttProtocolVersion.V500, 4096),
        };
        var stopwatch = Stopwatch.StartNew();
        var (packets, errors) = (0, 0);
        while (stopwatch.Elapsed < Budget)
        {
            var (version, original) = frames[random.Next(frames.Length)];
            var bytes = original.ToArray();
            var mutations = random.Next(1, 4);
            for (var m = 0; m < mutations; m++)
            {
                switch (random.Next(3))
                {
                    case 0: bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8)); break;
                    case 1: bytes[random.Next(bytes.Length)] = (byte)random.Next(256); break;
                    default: bytes = bytes.AsSpan(0, random.Next(bytes.Length + 1)).ToArray(); break;
                }

                if (bytes.Length == 0)
                    break;
            }

            (packets, errors) = Feed(decoders[version], bytes, packets, errors);
            // Also through the segmented path.
            var segments = bytes.Chunk(Math.Max(1, random.Next(1, 4))).ToArray();
            try
            {
                decoders[version].TryDecode(GoldenFrameTests.SequenceOf(segments), out _, out _);
            }
            catch (MqttProtocolException)
            {
            }
        }

        packets.Should().BeGreaterThan(0, "some mutations keep a frame valid");
        errors.Should().BeGreaterThan(0, "most mutations break a frame");
    }

    private static (int Packets, int Errors) Feed(MqttPacketDecoder decoder, ReadOnlySpan<byte> input, int packets, int errors)
    {
        var offset = 0;
        var guard = 0;
        while (offset < input.Length)
        {
            guard++.Should().BeLessThan(10_000, "each decoded packet consumes at least two bytes");
            bool done;
            int consumed;
            try
            {
                done = decoder.TryDecode(input[offset..], out _, out consumed);
            }
            catch (MqttProtocolException)
            {
                return (packets, errors + 1);
            }

            if (!done)
                return (packets, errors);
            consumed.Should().BeGreaterThanOrEqualTo(2);
            offset += consumed;
            packets++;
        }

        return (packets, errors);
    }
}
