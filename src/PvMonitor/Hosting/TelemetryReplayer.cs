using System.Diagnostics;
using System.Globalization;
using System.Text;
using PvMonitor.Cli;
using MQTTnet;
using MQTTnet.Protocol;

namespace PvMonitor.Hosting;

/// <summary>
/// Publishes a telemetry CSV (<c>time,plant,string,I,V,G,TExt,TMod,W[,label]</c>, string = <c>INVERTER/STRING</c>) as JSON
/// telemetry messages, QoS 1, to <c>{prefix}/{plant}/{inverter}/{string}/telemetry</c>, in file order, at a fixed rate or as fast
/// as the broker acknowledges (a window of publishes awaiting PUBACK). Publishes with MQTTnet's client.
/// </summary>
public static class TelemetryReplayer
{
    private static readonly string[] Required = ["time", "plant", "string", "I", "V", "G", "TExt", "TMod", "W"];

    /// <summary>Publishes every row; returns the number of messages published (all acknowledged by the broker).</summary>
    /// <param name="client">A connected MQTTnet client.</param>
    /// <param name="file">The CSV file.</param>
    /// <param name="prefix">Topic prefix, e.g. <c>pv</c>.</param>
    /// <param name="defaultInverter">Inverter used when the string column has no <c>INVERTER/</c> part.</param>
    /// <param name="ratePerSecond">Messages per second; null = as fast as possible.</param>
    /// <param name="window">Publishes awaiting PUBACK at once (≥ 1).</param>
    /// <param name="progress">Called about once a second with the count so far.</param>
    /// <param name="cancellationToken">Stops publishing.</param>
    /// <exception cref="CliException">The file is missing or a row is malformed (names the line).</exception>
    public static async Task<long> ReplayAsync(IMqttClient client, FileInfo file, string prefix, string defaultInverter, double? ratePerSecond, int window,
        Action<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!file.Exists) throw new CliException($"--data: file '{file.FullName}' does not exist.");
        using var reader = new StreamReader(file.FullName, Encoding.UTF8, true, 1 << 16);
        var header = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new CliException($"{file.FullName}: the file is empty.", ExitCodes.Failure);
        var names = header.Split(',');
        var index = new int[Required.Length];
        for (var k = 0; k < Required.Length; k++)
        {
            index[k] = Array.IndexOf(names, Required[k]);
            if (index[k] < 0) throw new CliException($"{file.FullName}: the header has no '{Required[k]}' column (expected {string.Join(",", Required)}[,label]).", ExitCodes.Failure);
        }

        var pending = new Queue<Task>();
        var clock = Stopwatch.StartNew();
        var lastProgress = 0L;
        long sent = 0, line = 1;
        var json = new StringBuilder(160);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } row)
        {
            line++;
            if (row.Length == 0) continue;
            var cells = row.Split(',');
            if (cells.Length < names.Length) throw new CliException($"{file.FullName}:{line}: expected {names.Length} columns, found {cells.Length}.", ExitCodes.Failure);
            var plant = cells[index[1]];
            var column = cells[index[2]];
            var slash = column.IndexOf('/');
            var inverter = slash > 0 ? column[..slash] : defaultInverter;
            var str = slash > 0 ? column[(slash + 1)..] : column;
            json.Clear().Append("{\"time\":\"").Append(cells[index[0]]).Append('"');
            for (var k = 3; k < Required.Length; k++)
            {
                var cell = cells[index[k]];
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    throw new CliException($"{file.FullName}:{line}: column {Required[k]} is not a number ('{cell}').", ExitCodes.Failure);
                json.Append(",\"").Append(Required[k]).Append("\":").Append(cell);
            }

            json.Append('}');
            var topic = $"{prefix}/{plant}/{inverter}/{str}/telemetry";
            pending.Enqueue(PublishAsync(client, topic, Encoding.UTF8.GetBytes(json.ToString()), cancellationToken));
            sent++;
            while (pending.Count >= window) await pending.Dequeue().ConfigureAwait(false);
            if (ratePerSecond is { } rate)
            {
                var due = TimeSpan.FromSeconds(sent / rate);
                var ahead = due - clock.Elapsed;
                if (ahead > TimeSpan.FromMilliseconds(2)) await Task.Delay(ahead, cancellationToken).ConfigureAwait(false);
            }

            if (progress is not null && clock.ElapsedMilliseconds - lastProgress >= 1000)
            {
                lastProgress = clock.ElapsedMilliseconds;
                progress(sent);
            }
        }

        while (pending.Count > 0) await pending.Dequeue().ConfigureAwait(false);
        return sent;
    }

    /// <summary>Publishes one QoS 1 message and waits for its PUBACK; a refusal (MQTT 5 reason code) is an error.</summary>
    public static async Task PublishAsync(IMqttClient client, string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessage
        {
            Topic = topic,
            PayloadSegment = payload,
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
        };
        var result = await client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
            throw new InvalidOperationException($"The broker refused the message to {topic}: {result.ReasonCode} {result.ReasonString}");
    }
}
