using PvMonitor.Domain.Telemetry;
using PvMonitor.Simulation.Planning;
using PvMonitor.Simulation.Weather;

namespace PvMonitor.Simulation;

/// <summary>
/// Batch simulation, as used by <c>pvmonitor simulate</c>:
/// <code>
/// var summary = await PlantSimulation.WriteCsvAsync(new SimulationOptions { Days = 60, Seed = 7 }, writer, progress, ct);
/// </code>
/// Rows come in time order, strings in order within a minute. Deterministic: the same options give byte-identical output.
/// </summary>
public static class PlantSimulation
{
    /// <summary>Plans the run without simulating it (days, weather plans, recording windows, conditions per string).</summary>
    public static SimulationPlan Plan(SimulationOptions options) => new SimulationEngine(options).Plan;

    /// <summary>Writes the header and every row to <paramref name="writer"/> in <see cref="TelemetryCsv"/> format, reporting progress 0–1 per simulated day.</summary>
    /// <exception cref="ArgumentException">The options are invalid (unknown condition code, out-of-range value).</exception>
    public static async Task<SimulationSummary> WriteCsvAsync(SimulationOptions options, TextWriter writer, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var engine = new SimulationEngine(options);
        var day = new DayResult();
        var counts = new long[64];
        long rows = 0, unlabelled = 0;
        var buffer = new char[1 << 16];
        var used = 0;
        var plant = options.Plant;
        var columns = engine.StringColumns;
        await writer.WriteAsync(TelemetryCsv.Header + "\n").ConfigureAwait(false);
        progress?.Report(0);
        for (var d = 0; d < options.Days; d++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Run(() => engine.SimulateDay(d, day), cancellationToken).ConfigureAwait(false);
            var labels = engine.Labels;
            if (counts.Length < labels.Count) Array.Resize(ref counts, labels.Count * 2);
            var midnight = new DateTimeOffset(day.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            for (var m = 0; m < WeatherDay.Minutes; m++)
            {
                var time = midnight.AddMinutes(m);
                for (var s = 0; s < columns.Length; s++)
                {
                    var li = day.Label[s][m];
                    if (li == SimulationEngine.NotEmitted) continue;
                    var label = li >= 0 ? labels[li] : "";
                    var sample = new TelemetrySample(time, day.I[s][m], day.V[s][m], day.G[m], day.TExt[m], day.TMod[m], day.W[m]);
                    if (buffer.Length - used < 512)
                    {
                        await writer.WriteAsync(buffer.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
                        used = 0;
                    }

                    var n = TelemetryCsv.FormatRow(buffer.AsSpan(used), time, plant, columns[s], sample, label);
                    used += n;
                    buffer[used++] = '\n';
                    rows++;
                    if (li >= 0) counts[li]++; else unlabelled++;
                }
            }

            progress?.Report((d + 1.0) / options.Days);
        }

        await writer.WriteAsync(buffer.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        var perLabel = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < engine.Labels.Count; i++) perLabel[engine.Labels[i]] = counts[i];
        if (unlabelled > 0) perLabel[""] = unlabelled;
        return new SimulationSummary(rows, perLabel, options.Days, options.Strings);
    }

    /// <summary>The same rows as <see cref="WriteCsvAsync"/>, as readings (lazily, one simulated day at a time).</summary>
    public static IEnumerable<SimulatedReading> Generate(SimulationOptions options)
    {
        var engine = new SimulationEngine(options);
        var day = new DayResult();
        for (var d = 0; d < options.Days; d++)
        {
            engine.SimulateDay(d, day);
            var midnight = new DateTimeOffset(day.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            for (var m = 0; m < WeatherDay.Minutes; m++)
            {
                var time = midnight.AddMinutes(m);
                for (var s = 0; s < engine.Keys.Length; s++)
                {
                    var li = day.Label[s][m];
                    if (li == SimulationEngine.NotEmitted) continue;
                    // Values pass through the CSV's rounding so in-process readings equal what a CSV round trip gives.
                    var sample = new TelemetrySample(time, Math.Round(day.I[s][m], 3), Math.Round(day.V[s][m], 1), day.G[m], day.TExt[m], day.TMod[m], day.W[m]);
                    yield return new SimulatedReading(engine.Keys[s], sample, li >= 0 ? engine.Labels[li] : "");
                }
            }
        }
    }
}
