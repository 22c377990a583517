namespace PvMonitor.Simulation.Physics;

/// <summary>Settings of the inverter's perturb-and-observe MPP tracker.</summary>
public sealed record MpptOptions
{
    /// <summary>Perturbation step as a fraction of the string's STC open-circuit voltage. Default 0.0035 (≈1 V on the default string).</summary>
    public double StepFraction { get; init; } = 0.0035;

    /// <summary>Perturbation steps per 1-minute sample (a tracker running at ≈0.7 Hz). Default 40.</summary>
    public int StepsPerSample { get; init; } = 40;

    /// <summary>Below this power the inverter goes to standby (I = 0, V = open-circuit voltage), W. Default 4.</summary>
    public double StandbyPower { get; init; } = 4;
}
