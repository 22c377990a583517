namespace PvMonitor.Simulation.Physics;

/// <summary>What the cells of a string see in one minute.</summary>
/// <param name="Irradiance">Effective plane-of-array irradiance reaching unshaded cells (after reflection losses), W/m².</param>
/// <param name="Beam">The direct-beam part of <paramref name="Irradiance"/>, W/m².</param>
/// <param name="SnowTransmittance">Fraction of light passing the snow on snow-covered cells, 0–1.</param>
/// <param name="CellTemperature">Cell temperature, °C.</param>
public readonly record struct CellEnvironment(double Irradiance, double Beam, double SnowTransmittance, double CellTemperature);
