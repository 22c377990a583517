using PvMonitor.Simulation.Sensors;
using PvMonitor.Simulation.Weather;

namespace PvMonitor.Simulation.Tests.Weather;

public class WeatherTests
{
    private static readonly SiteOptions Site = new();

    [Fact]
    public void Sun_is_highest_near_local_solar_noon_at_the_expected_elevation()
    {
        // Aalborg, 57.05° N: solstice noon elevation ≈ 90 − 57.05 + 23.44 = 56.4°; solar noon ≈ 12:00 − 9.92°·4 min ≈ 11:20 UTC.
        var best = (Elevation: double.MinValue, Minute: 0);
        var day = new DateTimeOffset(2026, 6, 21, 0, 0, 0, TimeSpan.Zero);
        for (var m = 0; m < 1440; m++)
        {
            var (z, _, _) = SolarGeometry.Position(day.AddMinutes(m), Site.Latitude, Site.Longitude);
            if (90 - z > best.Elevation) best = (90 - z, m);
        }

        best.Elevation.Should().BeApproximately(56.4, 0.3);
        best.Minute.Should().BeInRange(11 * 60 + 15, 11 * 60 + 25);
        var (_, azimuth, _) = SolarGeometry.Position(day.AddMinutes(best.Minute), Site.Latitude, Site.Longitude);
        azimuth.Should().BeApproximately(180, 2);
        var (_, morning, _) = SolarGeometry.Position(day.AddHours(5), Site.Latitude, Site.Longitude);
        morning.Should().BeInRange(60, 110); // east-ish in the morning
    }

    [Fact]
    public void Clear_sky_irradiance_is_plausible()
    {
        var (ghi, dni, dhi) = SolarGeometry.ClearSky(33.6, 1322, 3, 10);
        ghi.Should().BeInRange(750, 900);
        dni.Should().BeInRange(750, 950);
        dhi.Should().BeInRange(60, 160);
    }

    [Fact]
    public void A_clear_june_day_yields_a_plausible_energy_for_denmark()
    {
        // ≈0.9 kWp at 40° south in Aalborg on a cloudless day near the solstice: ≈7–8 kWh/m² in plane, so ≈5–7 kWh.
        var options = new SimulationOptions
        {
            Days = 1, Start = new DateOnly(2026, 6, 21), Conditions = "N", Sensors = SensorOptions.Ideal, IncludeNight = true,
        };
        var energyWh = PlantSimulation.Generate(options).Sum(r => r.Sample.I * r.Sample.V) / 60;
        var insolation = PlantSimulation.Generate(options).Sum(r => r.Sample.G) / 60;
        insolation.Should().BeInRange(6500, 8500);
        energyWh.Should().BeInRange(5000, 7000);
        // Performance ratio of a healthy string on a warm day.
        (energyWh / (insolation / 1000 * options.Layout.PeakPower)).Should().BeInRange(0.78, 0.95);
    }

    [Fact]
    public void Days_are_reproducible_and_differ_by_seed()
    {
        var plan = new DayPlan(new DateOnly(2026, 3, 3), SkyRegime.Mixed);
        var a = new WeatherGenerator(Site, 5).Generate(plan);
        var b = new WeatherGenerator(Site, 5).Generate(plan);
        var c = new WeatherGenerator(Site, 6).Generate(plan);
        a.Poa.Should().Equal(b.Poa);
        a.AirTemperature.Should().Equal(b.AirTemperature);
        a.Poa.Should().NotEqual(c.Poa);
    }

    [Fact]
    public void Overcast_days_are_dim_and_diffuse_and_clear_days_are_bright()
    {
        var gen = new WeatherGenerator(Site, 3);
        var date = new DateOnly(2026, 4, 10);
        var clear = gen.Generate(new DayPlan(date, SkyRegime.Clear));
        var overcast = gen.Generate(new DayPlan(date, SkyRegime.Overcast));
        clear.Poa.Max().Should().BeGreaterThan(850);
        overcast.Poa.Max().Should().BeLessThan(450);
        overcast.EffectiveBeam.Max().Should().Be(0);
        // Modules run warmer than the air in sunshine.
        var noon = 11 * 60 + 20;
        (clear.ModuleTemperature[noon] - clear.AirTemperature[noon]).Should().BeInRange(10, 35);
    }

    [Fact]
    public void Snow_keeps_modules_near_zero_and_the_air_cold()
    {
        var gen = new WeatherGenerator(Site, 3);
        var day = gen.Generate(new DayPlan(new DateOnly(2026, 2, 10), SkyRegime.Clear, new SnowCover { RowsCovered = [10, 10, 10, 10, 10, 10, 10, 10], DepthAtSunrise = 8, DepthAtSunset = 6 }));
        day.ModuleTemperature.Max().Should().BeLessThanOrEqualTo(0.4 + 1e-9);
        day.AirTemperature.Average().Should().BeLessThan(0.5);
        day.SnowTransmittance.Min().Should().BeLessThan(0.2);
    }
}
