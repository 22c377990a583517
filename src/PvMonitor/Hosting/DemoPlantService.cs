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
/// are encoded as the same JSON payloads the MQTT devices send and fed to the pipeline. The schedule keeps a fault and an
/// unseen condition on the page whenever someone opens it: PS50 (partial shading) on string 2 every simulated day from 09:00
/// to 15:00, and DEGR (potential-induced degradation of three modules, from the simulator's non-paper library, a condition
/// the shipped model never saw) on the last string from 10:00 of the first day on. Nights are stored but not waited for:
/// they pass at once, so the page always shows daylight. DEGR rather than BYPASS: the shipped model's ELBO separates it well
/// (AUROC 0.977, see models/default/MODEL_CARD.md), while a shorted bypass diode looks like a known series-resistance or
/// shading fault and is rarely flagged.
/// </summary>
public sealed class DemoPlantService(DemoPlantSettings settings, MonitoringPipeline pipeline, TimeProvider time, ILogger<DemoPlantService> logger) : BackgroundService
{
    /// <summary>Simulated start: 2026-06-01 08:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Simulated days the schedule covers (the demo runs on afterwards without episodes).</summary>
    public const int ScheduledDays = 365;

    /// <summary>Below this irradiance (W/m², the ingest's default night threshold) a minute counts as night and is not waited for.</summary>
    private const double NightIrradiance = 20;

    /// <summary>The scheduled episodes: PS50 on string 2 daily 09:00–15:00, DEGR on the last string from 10:00 of day 1 on.</summary>
    public static IReadOnlyList<ConditionEpisode> Episodes(int strings)
    {
        var day = Start.Date;
        var list = new List<ConditionEpisode>(ScheduledDays + 1);
        for (var d = 0; d < ScheduledDays; d++)
            list.Add(new ConditionEpisode(Math.Min(1, strings - 1), new DateTimeOffset(day.AddDays(d).AddHours(9), TimeSpan.Zero), new DateTimeOffset(day.AddDays(d).AddHours(15), TimeSpan.Zero), "PS50"));
        list.Add(new ConditionEpisode(strings - 1, new DateTimeOffset(day.AddHours(10), TimeSpan.Zero), new DateTimeOffset(day.AddDays(ScheduledDays), TimeSpan.Zero), "DEGR"));
        return list;
    }

    /// <summary>What the banner and the log say about the schedule.</summary>
    public static IReadOnlyList<string> Schedule(int strings, double speed) =>
    [
        $"PS50 (partial shading, a fault the model knows) on string S{Math.Min(1, strings - 1) + 1} every simulated day 09:00–15:00 — first about {60 / speed:0} s after start",
        $"DEGR (degradation, a condition the model never saw: an anomaly) on string S{strings} from 10:00 of the first day on — about {120 / speed:0} s after start",
        $"nights are skipped: a simulated daylight hour takes {60 / speed:0} s",
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
        foreach (var line in Schedule(settings.Strings, settings.Speed))
            logger.LogInformation("Demo schedule: {Line}.", line);
        var input = pipeline.Input;
        var buffer = new ArrayBufferWriter<byte>(256);
        var topics = plant.Strings.Select(k => $"pv/{k.Plant}/{k.Inverter}/{k.String}/telemetry").ToArray();
        var index = plant.Strings.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i);
        // One simulated minute takes 1/speed real seconds in daylight (speed = simulated minutes per second).
        var period = TimeSpan.FromSeconds(1 / settings.Speed);
        var next = time.GetTimestamp();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var daylight = false;
                foreach (var reading in plant.Step())
                {
                    daylight |= reading.Sample.G >= NightIrradiance;
                    await input.WriteAsync(new InboundMessage(topics[index[reading.Key]], Encode(reading.Sample, buffer)), stoppingToken).ConfigureAwait(false);
                }

                if (!daylight)
                {
                    next = time.GetTimestamp();
                    continue;
                }

                next += (long)(period.TotalSeconds * time.TimestampFrequency);
                var wait = time.GetElapsedTime(time.GetTimestamp(), next);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static byte[] Encode(in PvMonitor.Domain.Telemetry.TelemetrySample s, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
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

        return buffer.WrittenSpan.ToArray();
    }
}
