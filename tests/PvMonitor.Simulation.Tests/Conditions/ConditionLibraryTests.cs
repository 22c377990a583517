using PvMonitor.Domain.Conditions;
using PvMonitor.Simulation.Conditions;
using PvMonitor.Simulation.Sensors;

namespace PvMonitor.Simulation.Tests.Conditions;

public class ConditionLibraryTests
{
    [Fact]
    public void Paper_conditions_follow_table_II_order_and_shares()
    {
        ConditionLibrary.Paper.Select(c => c.Code).Should().Equal(ConditionCatalog.Paper.Select(c => c.Code));
        ConditionLibrary.Paper.Select(c => c.PaperShare).Should().Equal(ConditionCatalog.Paper.Select(c => c.PaperShare));
        var byCode = ConditionLibrary.Paper.ToDictionary(c => c.Code);
        byCode["RS8"].AddedSeriesResistance.Should().Be(2 * byCode["RS4"].AddedSeriesResistance);
        byCode["PSRS"].AddedSeriesResistance.Should().Be(byCode["RS4"].AddedSeriesResistance);
        byCode["S"].Weather.Should().Be(WeatherRequirement.Snow);
        byCode["N"].Weather.Should().Be(WeatherRequirement.Clear);
        byCode["C"].Weather.Should().Be(WeatherRequirement.Cloudy);
    }

    [Fact]
    public void Extra_conditions_are_ready_for_the_anomaly_demo_and_extend_the_catalog()
    {
        var library = ConditionLibrary.CreateDefault();
        foreach (var code in new[] { "SOIL", "BYPASS", "DEGR", "OPEN" }) library.TryGet(code, out _).Should().BeTrue(code);
        var catalog = library.ToCatalog();
        catalog.All.Count.Should().Be(14);
        catalog.TryGet("BYPASS", out var bypass).Should().BeTrue();
        bypass.IsFault.Should().BeTrue();
    }

    [Fact]
    public void Json_definitions_round_trip_and_can_be_simulated()
    {
        const string json = """
        {
          "conditions": [
            {
              "code": "LEAF",
              "description": "A leaf on one cell",
              "kind": "Fault",
              "shading": [ { "modules": [2], "submodules": [0], "cells": 1, "coverage": 0.8, "transmittance": 0.1 } ]
            },
            { "code": "HOTR", "addedSeriesResistance": 10, "weather": "Clear" }
          ]
        }
        """;
        var parsed = ConditionLibrary.ParseJson(json);
        parsed.Should().HaveCount(2);
        parsed[0].Shading[0].Coverage.Should().Be(0.8);
        parsed[1].Weather.Should().Be(WeatherRequirement.Clear);
        ConditionLibrary.ParseJson(ConditionLibrary.ToJson(parsed)).Should().BeEquivalentTo(parsed);

        var rows = PlantSimulation.Generate(new SimulationOptions
        {
            Days = 2, Conditions = "LEAF,HOTR", ExtraConditions = parsed, Sensors = SensorOptions.Ideal,
        }).ToList();
        rows.Select(r => r.Label).Distinct().Should().BeEquivalentTo(["LEAF", "HOTR"]);
    }

    [Theory]
    [InlineData("""[{"code": "bad code"}]""")]
    [InlineData("""[{"code": "X", "soiling": 2}]""")]
    [InlineData("""[{"description": "no code"}]""")]
    [InlineData("""{"nope": []}""")]
    [InlineData("""[{"code": "X", """)]
    public void Invalid_json_is_rejected_with_an_argument_exception(string json)
    {
        var act = () => ConditionLibrary.ParseJson(json);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Each_fault_changes_the_string_the_way_it_should()
    {
        double MeanV(string code) => Rows(code).Where(r => r.Sample.I > 2.5).Average(r => r.Sample.V / 1);
        double MeanIoverG(string code) => Rows(code).Where(r => r.Sample.G > 300).Average(r => r.Sample.I / r.Sample.G);

        // Same weather for every condition: one seed, one clear day, each condition alone.
        var vN = MeanV("N");
        MeanV("BYPASS").Should().BeApproximately(vN * 22 / 24, 4);
        MeanIoverG("PS7").Should().BeLessThan(0.75 * MeanIoverG("N"));
        MeanIoverG("SOIL").Should().BeLessThan(0.95 * MeanIoverG("N"));
        Rows("OPEN").Should().OnlyContain(r => r.Sample.I < 0.02 && r.Sample.V < 1);
    }

    private static List<SimulatedReading> Rows(string code) => PlantSimulation.Generate(new SimulationOptions
    {
        Days = 1, Conditions = code, Start = new DateOnly(2026, 4, 20), Seed = 9, Sensors = SensorOptions.Ideal,
        ExtraConditions = [new ConditionPhysics { Code = "N", Kind = ConditionKind.Normal, Weather = WeatherRequirement.Clear }],
    }.WithClearSky()).ToList();
}

internal static class ClearSkyOptions
{
    // Fault days draw their sky; give every condition the clear reference day's weather by making it require a clear sky.
    public static SimulationOptions WithClearSky(this SimulationOptions o) => o with
    {
        ExtraConditions = ConditionLibrary.CreateDefault().All.Select(c => c with { Weather = WeatherRequirement.Clear }).ToList(),
    };
}
