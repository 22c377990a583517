namespace PvMonitor.Simulation.Weather;

/// <summary>Where the plant is and how its modules face. Defaults: Aalborg, Denmark, south-facing roof at 40° tilt.</summary>
public sealed record SiteOptions
{
    /// <summary>Latitude, degrees north. Default 57.05.</summary>
    public double Latitude { get; init; } = 57.05;

    /// <summary>Longitude, degrees east. Default 9.92.</summary>
    public double Longitude { get; init; } = 9.92;

    /// <summary>Altitude above sea level, m. Default 10.</summary>
    public double Altitude { get; init; } = 10;

    /// <summary>Module tilt from horizontal, degrees. Default 40.</summary>
    public double Tilt { get; init; } = 40;

    /// <summary>Module azimuth, degrees clockwise from north (180 = south). Default 180.</summary>
    public double Azimuth { get; init; } = 180;

    /// <summary>Ground albedo without snow, 0–1. Default 0.2.</summary>
    public double Albedo { get; init; } = 0.2;

    /// <summary>Monthly mean air temperature, °C, January first. Default: Aalborg normals.</summary>
    public IReadOnlyList<double> MonthlyMeanTemperature { get; init; } = [0.8, 0.6, 2.6, 6.6, 11.2, 14.4, 16.6, 16.6, 13.4, 9.4, 5.2, 2.2];

    /// <summary>Mean wind speed at the anemometer, m/s. Default 4.</summary>
    public double MeanWindSpeed { get; init; } = 4;

    /// <summary>Linke turbidity of clear days. Default 3.</summary>
    public double LinkeTurbidity { get; init; } = 3;

    /// <summary>Checks the values are in range.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (Latitude is < -90 or > 90 || Longitude is < -180 or > 180) throw new ArgumentException("Latitude/Longitude out of range.");
        if (Tilt is < 0 or > 90) throw new ArgumentException("Tilt must be within 0–90°.");
        if (Albedo is < 0 or > 1) throw new ArgumentException("Albedo must be within 0–1.");
        if (MonthlyMeanTemperature.Count != 12) throw new ArgumentException("MonthlyMeanTemperature needs 12 values.");
        if (MeanWindSpeed < 0 || LinkeTurbidity < 1) throw new ArgumentException("MeanWindSpeed must be ≥ 0 and LinkeTurbidity ≥ 1.");
    }
}
