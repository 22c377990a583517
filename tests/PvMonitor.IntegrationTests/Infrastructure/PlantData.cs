using System.Text;
using PvMonitor.Simulation;
using PvMonitor.Simulation.Live;
using PvMonitor.Simulation.Weather;

namespace PvMonitor.IntegrationTests.Infrastructure;

/// <summary>Simulated telemetry CSV files (the format of <c>pvmonitor simulate</c>) written with the live plant.</summary>
internal static class PlantData
{
    /// <summary>The test plant's name.</summary>
    public const string Plant = "itplant";

    /// <summary>
    /// Writes <paramref name="days"/> clear days from <paramref name="start"/> for <paramref name="strings"/> strings (5 per
    /// inverter) with <paramref name="episodes"/>; rows with G below <paramref name="minG"/> are left out. Returns the rows written.
    /// </summary>
    public static int Write(string path, DateTimeOffset start, int days, int strings, IReadOnlyList<ConditionEpisode> episodes, double minG, long seed)
    {
        var plant = new LivePlant(new LivePlantOptions
        {
            Plant = Plant,
            Strings = strings,
            StringsPerInverter = 5,
            Seed = seed,
            Start = start,
            Sky = SkyRegime.Clear,
            Episodes = episodes,
        });
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.WriteLine(TelemetryCsv.Header);
        var rows = 0;
        var end = start.AddDays(days);
        while (plant.Now < end)
        {
            foreach (var r in plant.Step())
            {
                if (r.Sample.G < minG) continue;
                writer.WriteLine(TelemetryCsv.FormatRow(r.Sample.Time, Plant, TelemetryCsv.StringColumn(r.Key), r.Sample, r.Label));
                rows++;
            }
        }

        return rows;
    }
}
