using System.Globalization;
using System.Text.RegularExpressions;
using PvMonitor.Domain.Conditions;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Simulation.Sensors;

namespace PvMonitor.Simulation.Tests;

public partial class SimulationOutputTests
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z,[^,]+,INV\d+/S\d+,\d+\.\d{3},\d+\.\d,\d+,-?\d+\.\d,-?\d+\.\d,\d+\.\d,[A-Za-z0-9_-]*$")]
    private static partial Regex RowPattern();

    private static async Task<string> Csv(SimulationOptions options)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        await PlantSimulation.WriteCsvAsync(options, writer);
        return writer.ToString();
    }

    [Fact]
    public async Task Csv_has_the_exact_header_and_well_formed_rows()
    {
        var csv = await Csv(new SimulationOptions { Days = 2, Strings = 3, Conditions = "N,PS50,SOIL" });
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("time,plant,string,I,V,G,TExt,TMod,W,label");
        lines.Length.Should().BeGreaterThan(2000);
        foreach (var line in lines.Skip(1)) RowPattern().IsMatch(line).Should().BeTrue(line);
        csv.Should().NotContain("-0.0,").And.NotContain("NaN").And.NotContain("E+");
        lines[1].Should().StartWith("2026-02-01T");
    }

    [Fact]
    public async Task The_same_seed_gives_identical_csv_and_another_seed_does_not()
    {
        var options = new SimulationOptions { Days = 3, Strings = 3, Seed = 42 };
        var a = await Csv(options);
        var b = await Csv(options with { MaxDegreeOfParallelism = 1 });
        var c = await Csv(options with { Seed = 43 });
        b.Should().Be(a);
        c.Should().NotBe(a);
    }

    [Fact]
    public async Task Rows_are_in_time_order_with_strings_in_order_within_a_minute()
    {
        var csv = await Csv(new SimulationOptions { Days = 1, Strings = 4, Conditions = "N" });
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        var keys = rows.Select(r => (r[0], r[2])).ToList();
        keys.Should().BeInAscendingOrder(Comparer<(string, string)>.Create((x, y) =>
            string.CompareOrdinal(x.Item1, y.Item1) != 0 ? string.CompareOrdinal(x.Item1, y.Item1) : string.CompareOrdinal(x.Item2, y.Item2)));
        rows.Select(r => r[2]).Distinct().Should().BeEquivalentTo(["INV01/S1", "INV01/S2", "INV02/S1", "INV02/S2"]);
    }

    [Fact]
    public void Paper_conditions_over_60_days_give_about_15000_rows_in_table_II_proportions()
    {
        var readings = PlantSimulation.Generate(new SimulationOptions { Days = 60 }).ToList();
        readings.Count.Should().BeInRange(14_000, 16_000);
        readings.Should().OnlyContain(r => r.Label.Length > 0 && r.Sample.G >= 0);
        foreach (var c in ConditionCatalog.Paper)
        {
            var share = readings.Count(r => r.Label == c.Code) / (double)readings.Count;
            share.Should().BeApproximately(c.PaperShare, 0.01, c.Code);
        }

        // Day-time rows only: the sun is up in every one (some irradiance).
        readings.Average(r => r.Sample.G).Should().BeGreaterThan(100);
    }

    [Fact]
    public void Snow_rows_are_cold_and_dim_and_clear_day_rows_bright()
    {
        var readings = PlantSimulation.Generate(new SimulationOptions { Days = 60 }).ToList();
        var snow = readings.Where(r => r.Label == "S").ToList();
        var clear = readings.Where(r => r.Label == "N").ToList();
        var cloudy = readings.Where(r => r.Label == "C").ToList();
        snow.Average(r => r.Sample.TExt).Should().BeLessThan(0.5);
        snow.Average(r => r.Sample.I).Should().BeLessThan(0.5 * clear.Average(r => r.Sample.I));
        clear.Average(r => r.Sample.G).Should().BeGreaterThan(2 * cloudy.Average(r => r.Sample.G));
    }

    [Fact]
    public void Dropped_samples_are_missing_rows()
    {
        var options = new SimulationOptions
        {
            Days = 1, Conditions = "N", IncludeNight = true,
            Sensors = new SensorOptions { SampleDropoutProbability = 0.1, OutageProbabilityPerDay = 0 },
        };
        var rows = PlantSimulation.Generate(options).ToList();
        rows.Count.Should().BeInRange(1240, 1350);
        rows.Should().OnlyContain(r => !double.IsNaN(r.Sample.I) && !double.IsNaN(r.Sample.V));
        rows.Select(r => r.Sample.Time).Should().OnlyHaveUniqueItems().And.BeInAscendingOrder();
    }

    [Fact]
    public void Include_night_writes_every_minute_with_an_empty_label_at_night()
    {
        var options = new SimulationOptions { Days = 1, Conditions = "PS50", IncludeNight = true, Sensors = SensorOptions.Ideal };
        var rows = PlantSimulation.Generate(options).ToList();
        rows.Count.Should().Be(1440);
        var midnight = rows[0];
        midnight.Label.Should().BeEmpty();
        midnight.Sample.G.Should().Be(0);
        midnight.Sample.I.Should().Be(0);
        rows.Count(r => r.Label == "PS50").Should().BeInRange(450, 650); // February daylight in Aalborg ≈ 8–9.5 h
    }

    [Fact]
    public void Strings_share_the_weather_station_but_not_their_faults()
    {
        var rows = PlantSimulation.Generate(new SimulationOptions { Days = 20, Strings = 2 }).ToList();
        var byTime = rows.GroupBy(r => r.Sample.Time).Where(g => g.Count() == 2).ToList();
        byTime.Should().OnlyContain(g => g.First().Sample.G == g.Last().Sample.G && g.First().Sample.TExt == g.Last().Sample.TExt);
        byTime.Count(g => g.First().Label != g.Last().Label).Should().BeGreaterThan(0);
        // Weather-bound classes are shared.
        byTime.Where(g => g.First().Label is "S" or "C" or "N").Should().OnlyContain(g => g.First().Label == g.Last().Label);
    }

    [Fact]
    public void String_columns_round_trip_to_keys()
    {
        var key = new StringKey("p", "INV03", "S2");
        TelemetryCsv.ParseStringColumn("p", TelemetryCsv.StringColumn(key)).Should().Be(key);
    }

    [Fact]
    public void Unknown_condition_codes_are_rejected_with_the_known_ones_listed()
    {
        var act = () => PlantSimulation.Plan(new SimulationOptions { Conditions = "N,NOPE" });
        act.Should().Throw<ArgumentException>().WithMessage("*NOPE*PS7*");
    }

    [Fact]
    public async Task Progress_reaches_one()
    {
        var reports = new List<double>();
        await PlantSimulation.WriteCsvAsync(new SimulationOptions { Days = 3 }, TextWriter.Null, new SyncProgress(reports.Add));
        reports.Should().BeInAscendingOrder();
        reports[^1].Should().Be(1);
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
