namespace PvMonitor.Simulation.Weather;

/// <summary>Snow lying on the modules during one day.</summary>
public sealed record SnowCover
{
    /// <summary>Snow depth on the covered cells at sunrise, cm.</summary>
    public double DepthAtSunrise { get; init; } = 4;

    /// <summary>Snow depth on the covered cells at sunset (melting), cm.</summary>
    public double DepthAtSunset { get; init; } = 3;

    /// <summary>Per module, how many cell rows from the bottom edge are under snow (modules not listed: none).</summary>
    public IReadOnlyList<int> RowsCovered { get; init; } = [];

    /// <summary>UTC minute of the day when snow slides off some modules (then <see cref="RowsCoveredAfterSlide"/> applies); −1 = no slide.</summary>
    public int SlideMinute { get; init; } = -1;

    /// <summary>Per module, rows under snow after the slide.</summary>
    public IReadOnlyList<int> RowsCoveredAfterSlide { get; init; } = [];

    /// <summary>Fraction of light reaching the plane-of-array irradiance sensor through snow on it, 0–1 (1 = sensor clear).</summary>
    public double SensorTransmittance { get; init; } = 1;

    /// <summary>Light transmittance of snow of a given depth (e-folding depth 3 cm: ≈19 % through 5 cm, ≈4 % through 10 cm).</summary>
    public static double Transmittance(double depthCm) => Math.Exp(-Math.Max(0, depthCm) / 3.0);
}
