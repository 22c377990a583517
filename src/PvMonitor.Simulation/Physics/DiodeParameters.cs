namespace PvMonitor.Simulation.Physics;

/// <summary>
/// Single-diode parameters at one operating condition: I = Iph − I0·(exp((V + I·Rs)/A) − 1) − (V + I·Rs)/Rsh.
/// </summary>
/// <param name="Iph">Photocurrent, A.</param>
/// <param name="I0">Diode saturation current, A.</param>
/// <param name="Rs">Series resistance, Ω.</param>
/// <param name="Rsh">Shunt resistance, Ω.</param>
/// <param name="A">Modified ideality factor n·Ns·k·T/q, V.</param>
public readonly record struct DiodeParameters(double Iph, double I0, double Rs, double Rsh, double A);
