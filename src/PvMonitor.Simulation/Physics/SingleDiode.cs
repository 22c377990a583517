namespace PvMonitor.Simulation.Physics;

/// <summary>Solutions of the single-diode equation: explicit V(I) with Lambert W, I(V) by bracketed Newton, and the maximum power point.</summary>
public static class SingleDiode
{
    /// <summary>Voltage at a given current (any current: above Iph the device is reverse biased through its shunt), V.</summary>
    public static double Voltage(in DiodeParameters p, double current)
    {
        // V = (Iph + I0 − I)·Rsh − I·Rs − A·W((I0·Rsh/A)·exp((Iph + I0 − I)·Rsh/A))
        var x = (p.Iph + p.I0 - current) * p.Rsh;
        var logTheta = Math.Log(p.I0 * p.Rsh / p.A) + x / p.A;
        return x - current * p.Rs - p.A * LambertW.OfExp(logTheta);
    }

    /// <summary>Current at a given voltage, A (bracketed Newton on the monotone V(I)).</summary>
    public static double Current(in DiodeParameters p, double voltage)
    {
        double lo = -1e-9, hi = p.Iph + 1 + Math.Abs(voltage) / p.Rsh;
        while (Voltage(p, hi) > voltage) hi *= 2;
        while (Voltage(p, lo) < voltage) lo = lo * 2 - 1;
        var i = 0.5 * (lo + hi);
        for (var iter = 0; iter < 100; iter++)
        {
            var f = Voltage(p, i) - voltage; // decreasing in i
            if (f > 0) lo = i; else hi = i;
            if (Math.Abs(f) < 1e-10 || hi - lo < 1e-13) break;
            // Newton step with dV/dI from a small secant; fall back to bisection when it leaves the bracket.
            const double h = 1e-7;
            var d = (Voltage(p, i + h) - Voltage(p, i - h)) / (2 * h);
            var next = d < 0 ? i - f / d : 0.5 * (lo + hi);
            i = next > lo && next < hi ? next : 0.5 * (lo + hi);
        }

        return i;
    }

    /// <summary>Open-circuit voltage, V.</summary>
    public static double OpenCircuitVoltage(in DiodeParameters p) => Voltage(p, 0);

    /// <summary>Short-circuit current, A.</summary>
    public static double ShortCircuitCurrent(in DiodeParameters p) => Current(p, 0);

    /// <summary>The maximum power point (golden-section search on P(I) = I·V(I), which is unimodal for one diode).</summary>
    public static (double V, double I, double P) MaximumPowerPoint(in DiodeParameters p)
    {
        double a = 0, b = ShortCircuitCurrent(p);
        var gr = (Math.Sqrt(5) - 1) / 2;
        var c = b - gr * (b - a);
        var d = a + gr * (b - a);
        double Pw(double i, in DiodeParameters q) => i * Voltage(q, i);
        var fc = Pw(c, p);
        var fd = Pw(d, p);
        for (var iter = 0; iter < 200 && b - a > 1e-10; iter++)
        {
            if (fc > fd)
            {
                b = d; d = c; fd = fc;
                c = b - gr * (b - a); fc = Pw(c, p);
            }
            else
            {
                a = c; c = d; fc = fd;
                d = a + gr * (b - a); fd = Pw(d, p);
            }
        }

        var im = 0.5 * (a + b);
        var vm = Voltage(p, im);
        return (vm, im, vm * im);
    }
}
