namespace PvMonitor.Simulation.Physics;

/// <summary>
/// Datasheet values of a PV module at STC (1000 W/m², 25 °C cell, AM1.5). Defaults describe a generic 60-cell multicrystalline module
/// of about 111 W (fitted Rs ≈ 0.99 Ω, Rsh ≈ 450 Ω), so eight in series make the ≈0.9 kWp string of the paper's test system.
/// </summary>
public sealed record ModuleDatasheet
{
    /// <summary>Short-circuit current at STC, A. Default 4.40.</summary>
    public double Isc { get; init; } = 4.40;

    /// <summary>Open-circuit voltage at STC, V. Default 36.0.</summary>
    public double Voc { get; init; } = 36.0;

    /// <summary>Current at the maximum power point at STC, A. Default 4.05.</summary>
    public double Imp { get; init; } = 4.05;

    /// <summary>Voltage at the maximum power point at STC, V. Default 27.4.</summary>
    public double Vmp { get; init; } = 27.4;

    /// <summary>Cells in series in the module. Default 60.</summary>
    public int CellsInSeries { get; init; } = 60;

    /// <summary>Submodules (cell groups with one bypass diode each). Default 3 (20 cells each).</summary>
    public int Submodules { get; init; } = 3;

    /// <summary>Relative temperature coefficient of Isc, 1/K. Default +0.0006 (+0.06 %/K).</summary>
    public double IscTemperatureCoefficient { get; init; } = 0.0006;

    /// <summary>Relative temperature coefficient of Voc, 1/K. Default −0.0034 (−0.34 %/K).</summary>
    public double VocTemperatureCoefficient { get; init; } = -0.0034;

    /// <summary>Diode ideality factor used for the fit (not on datasheets; 1.0–1.4 for mc-Si). Default 1.1.</summary>
    public double IdealityFactor { get; init; } = 1.1;

    /// <summary>Maximum power at STC, W.</summary>
    public double Pmp => Imp * Vmp;

    /// <summary>Cells per submodule.</summary>
    public int CellsPerSubmodule => CellsInSeries / Submodules;

    /// <summary>Checks the values are physically consistent.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (!(Isc > 0 && Voc > 0 && Imp > 0 && Vmp > 0)) throw new ArgumentException("Isc, Voc, Imp and Vmp must be positive.");
        if (!(Imp < Isc && Vmp < Voc)) throw new ArgumentException("Imp must be below Isc and Vmp below Voc.");
        if (CellsInSeries <= 0 || Submodules <= 0 || CellsInSeries % Submodules != 0)
            throw new ArgumentException("CellsInSeries must be a positive multiple of Submodules.");
        if (!(IdealityFactor is > 0.5 and < 3)) throw new ArgumentException("IdealityFactor must be within 0.5–3.");
    }
}
