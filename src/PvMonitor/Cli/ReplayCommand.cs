using System.CommandLine;

namespace PvMonitor.Cli;

/// <summary><c>pvmonitor replay</c>: publish a telemetry CSV to an MQTT broker as QoS 1 messages.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "CSV with header time,plant,string,I,V,G,TExt,TMod,W[,label].", Required = true };
        var broker = new Option<string>("--broker") { Description = "Broker URL: mqtt://HOST:PORT or mqtts://HOST:PORT.", Required = true };
        var rate = new Option<string>("--rate") { Description = "Messages per second, or 'max'.", DefaultValueFactory = _ => "max" };
        var prefix = new Option<string>("--topic-prefix") { Description = "Topic prefix: messages go to PREFIX/{plant}/{inverter}/{string}/telemetry.", DefaultValueFactory = _ => "pv" };
        var inverter = new Option<string>("--inverter") { Description = "Inverter name used in topics when the CSV has no inverter column.", DefaultValueFactory = _ => "inv1" };
        var window = new Option<int>("--window") { Description = "Publishes awaiting PUBACK at once.", DefaultValueFactory = _ => 1000 };
        var clientId = new Option<string?>("--client-id") { Description = "MQTT client id (default pvmonitor-replay-PID)." };
        var username = new Option<string?>("--username") { Description = "MQTT user name." };
        var password = new Option<string?>("--password") { Description = "MQTT password." };
        var command = new Command("replay", "Publish a telemetry CSV (e.g. from 'pvmonitor simulate') to an MQTT broker as JSON telemetry messages, QoS 1.")
        {
            data, broker, rate, prefix, inverter, window, clientId, username, password,
        };
        command.Validators.Add(r =>
        {
            var b = r.GetValue(broker);
            if (b is not null && (!Uri.TryCreate(b, UriKind.Absolute, out var uri) || (uri.Scheme != "mqtt" && uri.Scheme != "mqtts")))
                r.AddError($"--broker must look like mqtt://HOST:PORT (was '{b}').");
            var value = r.GetValue(rate);
            if (value is not null && value != "max" && (!double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var perSecond) || perSecond <= 0))
                r.AddError($"--rate must be a positive number or 'max' (was '{value}').");
        });
        command.Validators.Add(r =>
        {
            if (CommonOptions.TryGiven(r, window, out var w) && w is < 1 or > 65000) r.AddError("--window must be 1–65000.");
        });
        command.SetAction(async (pr, ct) =>
        {
            var uri = new Uri(pr.GetRequiredValue(broker));
            var rateText = pr.GetValue(rate) ?? "max";
            double? perSecond = rateText == "max" ? null : double.Parse(rateText, System.Globalization.CultureInfo.InvariantCulture);
            var w = pr.GetValue(window);
            var stdout = pr.InvocationConfiguration.Output;
            var builder = new MQTTnet.MqttClientOptionsBuilder()
                .WithTcpServer(uri.Host, uri.IsDefaultPort || uri.Port <= 0 ? (uri.Scheme == "mqtts" ? 8883 : 1883) : uri.Port)
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
                .WithClientId(pr.GetValue(clientId) ?? $"pvmonitor-replay-{Environment.ProcessId}")
                .WithCleanSession(true)
                .WithTimeout(TimeSpan.FromSeconds(10));
            if (pr.GetValue(username) is { Length: > 0 } user) builder.WithCredentials(user, pr.GetValue(password));
            if (uri.Scheme == "mqtts") builder.WithTlsOptions(o => o.UseTls());
            using var client = new MQTTnet.MqttClientFactory().CreateMqttClient();
            try
            {
                var connected = await client.ConnectAsync(builder.Build(), ct);
                if (connected.ResultCode != MQTTnet.MqttClientConnectResultCode.Success)
                    throw new CliException($"--broker: {uri} refused the connection: {connected.ResultCode} {connected.ReasonString}", ExitCodes.Failure);
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Adapter.MqttConnectingFailedException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                throw new CliException($"--broker: cannot connect to {uri}: {ex.Message}", ExitCodes.Failure);
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var sent = await PvMonitor.Hosting.TelemetryReplayer.ReplayAsync(client, pr.GetRequiredValue(data), pr.GetValue(prefix) ?? "pv", pr.GetValue(inverter) ?? "inv1",
                perSecond, w, n => stdout.WriteLine($"replay: {n} messages published ({n / clock.Elapsed.TotalSeconds:0} msg/s)"), ct);
            await client.DisconnectAsync(new MQTTnet.MqttClientDisconnectOptions(), ct);
            stdout.WriteLine($"replay: {sent} messages published and acknowledged in {clock.Elapsed.TotalSeconds:0.0} s ({sent / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):0} msg/s).");
            return ExitCodes.Ok;
        });
        return command;
    }
}
