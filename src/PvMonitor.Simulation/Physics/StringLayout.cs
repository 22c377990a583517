namespace PvMonitor.Simulation.Physics;

/// <summary>The electrical layout of one string: modules in series, their submodules, bypass diodes and the wiring.</summary>
public sealed record StringLayout
{
    /// <summary>Modules in series. Default 8 (≈0.9 kWp with the default module, like the paper's test string).</summary>
    public int Modules { get; init; } = 8;

    /// <summary>The module's datasheet. Default: <see cref="ModuleDatasheet"/>'s defaults.</summary>
    public ModuleDatasheet Module { get; init; } = new();

    /// <summary>Cell rows per submodule, counted from the bottom edge (cells per row = cells per submodule / rows). Default 10.</summary>
    public int RowsPerSubmodule { get; init; } = 10;

    /// <summary>Series resistance of cables and connectors, Ω. Default 0.1 (2 × 10 m of 4 mm² copper); the default string totals ≈8 Ω.</summary>
    public double WiringResistance { get; init; } = 0.1;

    /// <summary>Bypass diode forward voltage at zero current, V. Default 0.35 (Schottky).</summary>
    public double BypassDiodeVoltage { get; init; } = 0.35;

    /// <summary>Bypass diode dynamic resistance, Ω. Default 0.02.</summary>
    public double BypassDiodeResistance { get; init; } = 0.02;

    /// <summary>Peak power at STC, W.</summary>
    public double PeakPower => Modules * Module.Pmp;

    /// <summary>Checks the values are consistent.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        Module.Validate();
        if (Modules is < 1 or > 100) throw new ArgumentException("Modules must be within 1–100.");
        if (RowsPerSubmodule < 1 || Module.CellsPerSubmodule % RowsPerSubmodule != 0)
            throw new ArgumentException("RowsPerSubmodule must divide the cells per submodule.");
        if (WiringResistance < 0 || BypassDiodeVoltage < 0 || BypassDiodeResistance < 0)
            throw new ArgumentException("Wiring and bypass diode values must be ≥ 0.");
    }
}
