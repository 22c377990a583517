namespace PvMonitor.Simulation.Sensors;

/// <summary>
/// Measurement errors of the plant's sensors and logger: Gaussian noise (a relative and an absolute part), quantisation
/// (the resolution values are rounded to), and dropouts. A dropped sample is simply missing: no row in CSV output and no
/// reading from the live source (a gap in time, never a NaN or an empty field).
/// </summary>
public sealed record SensorOptions
{
    /// <summary>String current noise: relative part (default 0.004) and absolute part (A, default 0.004); resolution 0.001 A.</summary>
    public double CurrentRelativeNoise { get; init; } = 0.004;

    /// <inheritdoc cref="CurrentRelativeNoise"/>
    public double CurrentAbsoluteNoise { get; init; } = 0.004;

    /// <summary>String voltage noise: relative part (default 0.001) and absolute part (V, default 0.15); resolution 0.1 V.</summary>
    public double VoltageRelativeNoise { get; init; } = 0.001;

    /// <inheritdoc cref="VoltageRelativeNoise"/>
    public double VoltageAbsoluteNoise { get; init; } = 0.15;

    /// <summary>Irradiance sensor noise: relative (default 0.012) and absolute (W/m², default 1.5); resolution 1 W/m².</summary>
    public double IrradianceRelativeNoise { get; init; } = 0.012;

    /// <inheritdoc cref="IrradianceRelativeNoise"/>
    public double IrradianceAbsoluteNoise { get; init; } = 1.5;

    /// <summary>Temperature sensor noise, °C (default 0.3 ambient, 0.5 module); resolution 0.1 °C.</summary>
    public double AirTemperatureNoise { get; init; } = 0.3;

    /// <inheritdoc cref="AirTemperatureNoise"/>
    public double ModuleTemperatureNoise { get; init; } = 0.5;

    /// <summary>Anemometer noise, m/s (default 0.1); below the starting speed (default 0.3 m/s) it reads 0; resolution 0.1 m/s.</summary>
    public double WindNoise { get; init; } = 0.1;

    /// <inheritdoc cref="WindNoise"/>
    public double WindStartingSpeed { get; init; } = 0.3;

    /// <summary>Probability that one string's sample is lost. Default 0.002.</summary>
    public double SampleDropoutProbability { get; init; } = 0.002;

    /// <summary>Probability per day of a logger outage (all strings of the plant), lasting 5–45 minutes. Default 0.1.</summary>
    public double OutageProbabilityPerDay { get; init; } = 0.1;

    /// <summary>No noise, no quantisation beyond the CSV's decimals, no dropouts (for physics tests).</summary>
    public static SensorOptions Ideal { get; } = new()
    {
        CurrentRelativeNoise = 0, CurrentAbsoluteNoise = 0, VoltageRelativeNoise = 0, VoltageAbsoluteNoise = 0,
        IrradianceRelativeNoise = 0, IrradianceAbsoluteNoise = 0, AirTemperatureNoise = 0, ModuleTemperatureNoise = 0,
        WindNoise = 0, WindStartingSpeed = 0, SampleDropoutProbability = 0, OutageProbabilityPerDay = 0,
    };

    /// <summary>Quantises a value to a resolution (and turns −0 into 0).</summary>
    public static double Quantise(double value, double resolution) => Math.Round(value / resolution) * resolution + 0.0;
}
