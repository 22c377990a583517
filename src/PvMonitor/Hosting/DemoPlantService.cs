using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PvMonitor.Monitoring.Pipeline;
using PvMonitor.Simulation;
using PvMonitor.Simulation.Live;
using PvMonitor.Simulation.Weather;

namespace PvMonitor.Hosting;

/// <summary>
/// The demo's telemetry source: an in-process <see cref="LivePlant"/> (one inverter, clear sky, time accelerated) whose readings
/// are encoded as the same JSON payloads the MQTT devices send and fed to the pipeline. A fault (PS50, partial shading) appears
/// on string 2 after 20 simulated minutes and a condition the model never saw (DEGR, potential-induced degradation of three
/// modules, from the simulator's non-paper library) on the last string after 2 simulated hours. DEGR rather than BYPASS: the
/// shipped model's ELBO separates it well (AUROC 0.977, see models/default/MODEL_CARD.md), while a shorted bypass diode looks
/// like a known series-resistance/shading fault and is rarely flagged.
/// </summary>
public sealed class DemoPlantService(DemoPlantSettings settings, MonitoringPipeline pipeline, TimeProvider time, ILogger<DemoPlantService> logger) : BackgroundService
{
    /// <summary>Simulated start: 2026-06-01 08:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>The scheduled episodes (string index, from, to, condition code).</summary>
    public static IReadOnlyList<ConditionEpisode> Episodes(int strings) =>
    [
        new(Math.Min(1, strings - 1), Start.AddMinutes(20), Start.AddHours(30), "PS50"),
        new(strings - 1, Start.AddHours(2), Start.AddHours(54), "DEGR"),
    ];

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var plant = new LivePlant(new LivePlantOptions
        {
            Plant = "demo",
            Strings = settings.Strings,
            StringsPerInverter = settings.Strings,
            Seed = settings.Seed,
            Start = Start,
            Sky = SkyRegime.Clear,
            Episodes = Episodes(settings.Strings),
        });
        foreach (var e in Episodes(settings.Strings))
            logger.LogInformation("Demo schedule: {Condition} on {String} from {From:yyyy-MM-dd HH:mm} to {To:yyyy-MM-dd HH:mm} (simulated time).", e.Code, plant.Strings[e.String], e.From, e.To);
        var input = pipeline.Input;
        var buffer = new ArrayBufferWriter<byte>(256);
        var topics = plant.Strings.Select(k => $"pv/{k.Plant}/{k.Inverter}/{k.String}/telemetry").ToArray();
        var index = plant.Strings.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i);
        try
        {
            await foreach (var reading in plant.StreamAsync(time, settings.Speed * 60, stoppingToken).ConfigureAwait(false))
            {
                buffer.ResetWrittenCount();
                using (var json = new Utf8JsonWriter(buffer))
                {
                    var s = reading.Sample;
                    json.WriteStartObject();
                    json.WriteString("time", s.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                    json.WriteNumber("I", s.I);
                    json.WriteNumber("V", s.V);
                    json.WriteNumber("G", s.G);
                    json.WriteNumber("TExt", s.TExt);
                    json.WriteNumber("TMod", s.TMod);
                    json.WriteNumber("W", s.W);
                    json.WriteEndObject();
                }

                await input.WriteAsync(new InboundMessage(topics[index[reading.Key]], buffer.WrittenSpan.ToArray()), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
