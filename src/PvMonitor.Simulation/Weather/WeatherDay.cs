namespace PvMonitor.Simulation.Weather;

/// <summary>One day of plant weather at 1-minute resolution (index = minute of the UTC day). True values, before sensor errors.</summary>
public sealed class WeatherDay
{
    /// <summary>Minutes per day.</summary>
    public const int Minutes = 1440;

    internal WeatherDay(DayPlan plan)
    {
        Plan = plan;
    }

    /// <summary>The plan the day was generated from.</summary>
    public DayPlan Plan { get; }

    /// <summary>Solar elevation, degrees.</summary>
    public double[] SunElevation { get; } = new double[Minutes];

    /// <summary>Plane-of-array irradiance, W/m².</summary>
    public double[] Poa { get; } = new double[Minutes];

    /// <summary>What the plane-of-array irradiance sensor sees (less when snow lies on it), W/m².</summary>
    public double[] PoaAtSensor { get; } = new double[Minutes];

    /// <summary>Irradiance reaching unshaded cells after reflection losses, W/m².</summary>
    public double[] Effective { get; } = new double[Minutes];

    /// <summary>Direct-beam part of <see cref="Effective"/>, W/m².</summary>
    public double[] EffectiveBeam { get; } = new double[Minutes];

    /// <summary>Ambient air temperature, °C.</summary>
    public double[] AirTemperature { get; } = new double[Minutes];

    /// <summary>Module (back-sheet) temperature, °C.</summary>
    public double[] ModuleTemperature { get; } = new double[Minutes];

    /// <summary>Mean cell temperature of the array, °C: the module sensor's reading is one spot on one module's back,
    /// the cells run ≈3 K warmer at 1000 W/m² and differ by a slowly wandering few tenths to a couple of kelvin.</summary>
    public double[] CellTemperature { get; } = new double[Minutes];

    /// <summary>Wind speed, m/s.</summary>
    public double[] Wind { get; } = new double[Minutes];

    /// <summary>Light transmittance of the snow on snow-covered cells, 0–1.</summary>
    public double[] SnowTransmittance { get; } = new double[Minutes];
}
