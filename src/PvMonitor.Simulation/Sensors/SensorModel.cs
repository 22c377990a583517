using PvMonitor.Simulation.Randomness;

namespace PvMonitor.Simulation.Sensors;

/// <summary>Applies <see cref="SensorOptions"/> to true values: noise, then quantisation to the logger's resolution.</summary>
public static class SensorModel
{
    /// <summary>Resolution of current readings, A.</summary>
    public const double CurrentResolution = 0.001;

    /// <summary>Resolution of voltage readings, V.</summary>
    public const double VoltageResolution = 0.1;

    /// <summary>Resolution of irradiance readings, W/m².</summary>
    public const double IrradianceResolution = 1;

    /// <summary>Resolution of temperature readings, °C.</summary>
    public const double TemperatureResolution = 0.1;

    /// <summary>Resolution of wind readings, m/s.</summary>
    public const double WindResolution = 0.1;

    /// <summary>Measured string current, A (never negative).</summary>
    public static double Current(double trueValue, SensorOptions o, SeededRandom r) =>
        Math.Max(0, SensorOptions.Quantise(trueValue * (1 + o.CurrentRelativeNoise * r.Gaussian()) + o.CurrentAbsoluteNoise * r.Gaussian(), CurrentResolution));

    /// <summary>Measured string voltage, V (never negative).</summary>
    public static double Voltage(double trueValue, SensorOptions o, SeededRandom r) =>
        Math.Max(0, SensorOptions.Quantise(trueValue * (1 + o.VoltageRelativeNoise * r.Gaussian()) + o.VoltageAbsoluteNoise * r.Gaussian(), VoltageResolution));

    /// <summary>Measured plane-of-array irradiance, W/m² (never negative).</summary>
    public static double Irradiance(double trueValue, SensorOptions o, SeededRandom r) =>
        Math.Max(0, SensorOptions.Quantise(trueValue * (1 + o.IrradianceRelativeNoise * r.Gaussian()) + o.IrradianceAbsoluteNoise * r.Gaussian(), IrradianceResolution));

    /// <summary>Measured temperature, °C.</summary>
    public static double Temperature(double trueValue, double noise, SeededRandom r) =>
        SensorOptions.Quantise(trueValue + noise * r.Gaussian(), TemperatureResolution);

    /// <summary>Measured wind speed, m/s (0 below the anemometer's starting speed).</summary>
    public static double Wind(double trueValue, SensorOptions o, SeededRandom r)
    {
        var w = trueValue + o.WindNoise * r.Gaussian();
        return w < o.WindStartingSpeed ? 0 : Math.Max(0, SensorOptions.Quantise(w, WindResolution));
    }
}
