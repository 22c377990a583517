using PvMonitor.Simulation.Conditions;
using PvMonitor.Simulation.Randomness;
using PvMonitor.Simulation.Weather;

namespace PvMonitor.Simulation.Planning;

/// <summary>
/// Plans a recording campaign like the paper's: each condition is staged on its own days (snow in episodes of consecutive days,
/// fault experiments in blocks of days, the clear and cloudy reference days singly), the days' weather follows what each
/// condition needs (S: snow on the modules and cold; N: clear; C: overcast or broken cloud; faults: the climatology), and
/// day counts and recording windows are sized so the rows come out in the given shares.
/// Several strings share the plant's weather and the weather-bound days (S, C, N); their fault days are permuted per string.
/// </summary>
public static class CampaignPlanner
{
    private const int PurposePlan = 21;
    private const int PurposeStringShuffle = 22;

    /// <summary>Plans <paramref name="days"/> days from <paramref name="start"/>.</summary>
    /// <param name="conditions">The conditions to stage.</param>
    /// <param name="shares">Each condition's share of rows (normalised here).</param>
    /// <param name="start">First day.</param>
    /// <param name="days">Number of days (≥ 1).</param>
    /// <param name="strings">Number of strings (≥ 1).</param>
    /// <param name="recordedRowsPerDay">Average recorded minutes per day (windows around solar noon), or null to record all daylight.</param>
    /// <param name="site">The site (for daylight hours).</param>
    /// <param name="seed">Run seed.</param>
    public static SimulationPlan Plan(IReadOnlyList<ConditionPhysics> conditions, IReadOnlyList<double> shares, DateOnly start, int days, int strings,
        double? recordedRowsPerDay, SiteOptions site, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(strings, 1);
        if (conditions.Count == 0) throw new ArgumentException("At least one condition is needed.", nameof(conditions));
        var rng = SeededRandom.Derive(seed, PurposePlan);
        var n = conditions.Count;
        var slotsPerDay = (n + days - 1) / days;
        var slots = days * slotsPerDay;
        var total = shares.Sum();
        var share = shares.Select(s => s / total).ToArray();
        var counts = LargestRemainder(share, slots);

        // Blocks of consecutive slots, shuffled into a sequence.
        var blocks = new List<(int Condition, int Length)>();
        for (var c = 0; c < n; c++)
        {
            var remaining = counts[c];
            while (remaining > 0)
            {
                var len = conditions[c].Weather switch
                {
                    WeatherRequirement.Snow => 2 + rng.NextInt(4),
                    WeatherRequirement.Any => remaining <= 7 ? remaining : 3 + rng.NextInt(4),
                    _ => 1,
                };
                len = Math.Min(len, remaining);
                if (conditions[c].Weather == WeatherRequirement.Snow && remaining - len == 1) len++;
                blocks.Add((c, len));
                remaining -= len;
            }
        }

        rng.Shuffle(blocks);
        var sequence = blocks.SelectMany(b => Enumerable.Repeat(b.Condition, b.Length)).ToArray();

        // Days: weather from the strictest requirement among the day's slots; snow episodes carry their cover from day to day.
        var schedules = new DaySchedule[days];
        var snowDayInEpisode = 0;
        double depth = 0;
        int[] rows = [];
        for (var d = 0; d < days; d++)
        {
            var date = start.AddDays(d);
            var daySlots = sequence.AsSpan(d * slotsPerDay, slotsPerDay).ToArray();
            var need = daySlots.Select(c => conditions[c].Weather).OrderByDescending(Priority).First();
            DayPlan weather;
            if (need == WeatherRequirement.Snow)
            {
                var fresh = snowDayInEpisode == 0;
                double depthStart, depthEnd;
                if (fresh)
                {
                    depthStart = rng.Uniform(2, 5);
                    depthEnd = rng.Uniform(7, 14);
                    rows = Enumerable.Repeat(10, 100).ToArray();
                }
                else
                {
                                        depthStart = depth * rng.Uniform(0.85, 0.98);
                    depthEnd = depthStart * rng.Uniform(0.7, 0.95);
                    // Snow slides off the modules alike (same tilt and glass): the bottom rows stay covered the longest.
                    var keep = rng.NextDouble() < 0.85 ? rows[0] : Math.Max(2, rows[0] - 2 - rng.NextInt(5));
                    rows = rows.Select(_ => keep).ToArray();
                }

                // Now and then the snow slides off in the afternoon: the rest of the day is logged as S though the modules are clear.
                var slide = !fresh && rng.Chance(0.1) ? CampaignPlannerSlide(rng, date, site) : -1;
                var after = slide < 0 ? rows : rows.Select(_ => 0).ToArray();
                depth = depthEnd;
                var sky = fresh ? SkyRegime.Overcast : rng.NextDouble() switch { < 0.4 => SkyRegime.Clear, < 0.7 => SkyRegime.Mixed, _ => SkyRegime.Overcast };
                var sensor = rng.Chance(0.5) ? rng.Uniform(0.2, 0.7) : 1;
                weather = new DayPlan(date, sky, new SnowCover
                {
                    DepthAtSunrise = depthStart, DepthAtSunset = depthEnd, RowsCovered = rows, SensorTransmittance = sensor,
                    SlideMinute = slide, RowsCoveredAfterSlide = after,
                }, fresh);
                rows = after;
                snowDayInEpisode++;
            }
            else
            {
                snowDayInEpisode = 0;
                var sky = need switch
                {
                    WeatherRequirement.Clear => SkyRegime.Clear,
                    WeatherRequirement.Cloudy => rng.Chance(0.8) ? SkyRegime.Overcast : SkyRegime.Mixed,
                    // Fault experiments were staged on fair days more often than the climatology would give.
                    _ => rng.NextDouble() < 0.7 ? SkyRegime.Clear : SkyRegime.Mixed,
                };
                weather = new DayPlan(date, sky);
            }

            var (sunrise, sunset, noon) = Daylight(date, site);
            int from, to;
            var slotStarts = new int[slotsPerDay];
            if (recordedRowsPerDay is { } perDay)
            {
                var minutes = daySlots.Sum(c => share[c] * days * perDay / Math.Max(1, counts[c]));
                var length = (int)Math.Round(Math.Min(minutes, Math.Max(0, sunset - sunrise - 20)));
                var centre = noon + (int)Math.Round(rng.Uniform(-45, 45));
                from = Math.Max(sunrise + 10, centre - length / 2);
                to = Math.Min(sunset - 10, from + length);
                from = Math.Max(sunrise + 10, to - length);
                var acc = (double)from;
                for (var s = 1; s < slotsPerDay; s++)
                {
                    acc += (to - from) * (share[daySlots[s - 1]] / Math.Max(1, counts[daySlots[s - 1]])) /
                           daySlots.Sum(c => share[c] / Math.Max(1, counts[c]));
                    slotStarts[s] = (int)Math.Round(acc);
                }
            }
            else
            {
                from = 0;
                to = WeatherDay.Minutes;
                for (var s = 1; s < slotsPerDay; s++) slotStarts[s] = sunrise + (sunset - sunrise) * s / slotsPerDay;
            }

            schedules[d] = new DaySchedule(weather, slotStarts, from, to);
        }

        // Codes per string: string 0 follows the sequence; the others permute the fault (any-weather) slots among themselves.
        var codes = new string[strings][][];
        var anyPositions = Enumerable.Range(0, slots).Where(i => conditions[sequence[i]].Weather == WeatherRequirement.Any).ToArray();
        for (var s = 0; s < strings; s++)
        {
            var seq = (int[])sequence.Clone();
            if (s > 0 && anyPositions.Length > 1)
            {
                var shuffler = SeededRandom.Derive(seed, PurposeStringShuffle, s);
                var anyBlocks = blocks.Where(b => conditions[b.Condition].Weather == WeatherRequirement.Any).ToList();
                shuffler.Shuffle(anyBlocks);
                var refill = anyBlocks.SelectMany(b => Enumerable.Repeat(b.Condition, b.Length)).ToArray();
                for (var k = 0; k < anyPositions.Length; k++) seq[anyPositions[k]] = refill[k];
            }

            codes[s] = new string[days][];
            for (var d = 0; d < days; d++)
            {
                codes[s][d] = new string[slotsPerDay];
                for (var k = 0; k < slotsPerDay; k++) codes[s][d][k] = conditions[seq[d * slotsPerDay + k]].Code;
            }
        }

        return new SimulationPlan(schedules, codes);
    }

    /// <summary>Sunrise, sunset and solar noon of a date as UTC minutes of the day (sun elevation above 1°).</summary>
    public static (int Sunrise, int Sunset, int Noon) Daylight(DateOnly date, SiteOptions site)
    {
        var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        int rise = -1, set = -1, noon = 720;
        var best = double.MinValue;
        for (var m = 0; m < WeatherDay.Minutes; m += 2)
        {
            var (z, _, _) = SolarGeometry.Position(start.AddMinutes(m), site.Latitude, site.Longitude);
            var el = 90 - z;
            if (el > best) { best = el; noon = m; }
            if (el > 1)
            {
                if (rise < 0) rise = m;
                set = m;
            }
        }

        return rise < 0 ? (noon, noon, noon) : (rise, set, noon);
    }

    private static int CampaignPlannerSlide(SeededRandom rng, DateOnly date, SiteOptions site)
    {
        var (_, _, noon) = Daylight(date, site);
        return noon + (int)rng.Uniform(-60, 150);
    }

    private static int Priority(WeatherRequirement w) => w switch
    {
        WeatherRequirement.Snow => 3,
        WeatherRequirement.Clear => 2,
        WeatherRequirement.Cloudy => 1,
        _ => 0,
    };

    private static int[] LargestRemainder(double[] share, int slots)
    {
        var n = share.Length;
        var raw = share.Select(s => s * slots).ToArray();
        var counts = raw.Select(r => (int)Math.Floor(r)).ToArray();
        var left = slots - counts.Sum();
        foreach (var i in Enumerable.Range(0, n).OrderByDescending(i => raw[i] - counts[i]).ThenBy(i => i).Take(left)) counts[i]++;
        if (slots >= n)
        {
            for (var i = 0; i < n; i++)
            {
                if (counts[i] > 0) continue;
                var donor = Enumerable.Range(0, n).OrderByDescending(j => counts[j]).First();
                counts[donor]--;
                counts[i]++;
            }
        }

        return counts;
    }
}
