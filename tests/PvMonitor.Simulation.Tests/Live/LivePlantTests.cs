using PvMonitor.Simulation.Live;
using PvMonitor.Simulation.Sensors;
using PvMonitor.Simulation.Weather;

namespace PvMonitor.Simulation.Tests.Live;

public class LivePlantTests
{
    private static readonly DateTimeOffset Noon = new(2026, 4, 20, 11, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Steps_a_minute_at_a_time_with_one_reading_per_string()
    {
        var plant = new LivePlant(new LivePlantOptions { Strings = 3, Start = Noon, Sensors = SensorOptions.Ideal, Sky = SkyRegime.Clear });
        var first = plant.Step();
        first.Should().HaveCount(3);
        first.Select(r => r.Key.ToString()).Should().Equal("demo/INV01/S1", "demo/INV01/S2", "demo/INV02/S1");
        first.Should().OnlyContain(r => r.Sample.Time == Noon && r.Label == "N" && r.Sample.G > 500 && r.Sample.I > 2);
        plant.Now.Should().Be(Noon.AddMinutes(1));
        plant.Step()[0].Sample.Time.Should().Be(Noon.AddMinutes(1));
    }

    [Fact]
    public void Episodes_set_the_physics_and_the_label_of_their_string()
    {
        var plant = new LivePlant(new LivePlantOptions
        {
            Strings = 2, Start = Noon, Sensors = SensorOptions.Ideal, Sky = SkyRegime.Clear,
            Episodes = [new ConditionEpisode(1, Noon.AddMinutes(10), Noon.AddMinutes(30), "BYPASS")],
        });
        var readings = Enumerable.Range(0, 40).Select(_ => plant.Step()).ToList();
        readings[5][1].Label.Should().Be("N");
        readings[20][1].Label.Should().Be("BYPASS");
        readings[35][1].Label.Should().Be("N");
        // Two shorted bypass diodes: ≈2/24 less voltage than the healthy neighbour at the same current.
        (readings[20][1].Sample.V / readings[20][0].Sample.V).Should().BeApproximately(22.0 / 24, 0.02);
    }

    [Fact]
    public void Is_deterministic_for_a_seed()
    {
        var a = new LivePlant(new LivePlantOptions { Start = Noon, Seed = 3 });
        var b = new LivePlant(new LivePlantOptions { Start = Noon, Seed = 3 });
        for (var i = 0; i < 30; i++) a.Step().Should().Equal(b.Step());
    }

    [Fact]
    public async Task Streams_time_accelerated()
    {
        var plant = new LivePlant(new LivePlantOptions { Strings = 2, Start = Noon, Sensors = SensorOptions.Ideal });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var got = new List<SimulatedReading>();
        await foreach (var r in plant.StreamAsync(TimeProvider.System, acceleration: 60 * 1000, cts.Token))
        {
            got.Add(r);
            if (got.Count == 10) break;
        }

        got.Select(r => r.Sample.Time).Distinct().Should().HaveCount(5);
    }

    [Fact]
    public void Unknown_codes_are_rejected()
    {
        var plant = new LivePlant(new LivePlantOptions());
        var act = () => plant.Schedule(new ConditionEpisode(0, Noon, Noon.AddHours(1), "NOPE"));
        act.Should().Throw<ArgumentException>();
    }
}
