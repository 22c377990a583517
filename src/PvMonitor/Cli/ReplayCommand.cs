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
        var command = new Command("replay", "Publish a telemetry CSV (e.g. from 'pvmonitor simulate') to an MQTT broker as JSON telemetry messages, QoS 1.")
        {
            data, broker, rate, prefix, inverter,
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
        command.SetAction(pr => PvMonitorCli.NotImplemented("replay", pr.InvocationConfiguration.Error));
        return command;
    }
}
