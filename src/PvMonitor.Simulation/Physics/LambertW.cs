namespace PvMonitor.Simulation.Physics;

/// <summary>The principal branch of the Lambert W function for non-negative arguments, including arguments given by their logarithm.</summary>
public static class LambertW
{
    /// <summary>W(x) for x ≥ 0.</summary>
    public static double Evaluate(double x) => x <= 0 ? 0 : OfExp(Math.Log(x));

    /// <summary>
    /// W(exp(<paramref name="logX"/>)) starting Newton from <paramref name="guess"/> (e.g. the solution at a neighbouring
    /// argument, which makes sweeps along a curve cost one or two iterations); a guess ≤ 0 falls back to <see cref="OfExp(double)"/>.
    /// </summary>
    public static double OfExp(double logX, double guess)
    {
        if (guess <= 0 || logX < -30) return OfExp(logX);
        var w = guess;
        for (var i = 0; i < 12; i++)
        {
            var next = w * (1 + logX - Math.Log(w)) / (1 + w);
            if (next <= 0) return OfExp(logX);
            if (Math.Abs(next - w) <= 1e-12 * next)
                return next;
            w = next;
        }

        return w;
    }

    /// <summary>W(exp(<paramref name="logX"/>)), accurate where exp(logX) would overflow (single-diode equations need logX in the thousands).</summary>
    public static double OfExp(double logX)
    {
        if (logX < -30)
        {
            var x = Math.Exp(logX);
            return x * (1 - x);
        }

        // Initial guess: asymptotic expansion for large arguments, a rational fit near zero.
        double w;
        if (logX > 1.5)
        {
            var l2 = Math.Log(logX);
            w = logX - l2 + l2 / logX;
        }
        else
        {
            var x = Math.Exp(logX);
            w = x / (1 + x) * (1 + Math.Log(1 + x) * 0.4);
        }

        // Newton on f(w) = w + ln w − logX (monotone, concave): converges from the guess in 2–4 steps.
        for (var i = 0; i < 8; i++)
        {
            var next = w * (1 + logX - Math.Log(w)) / (1 + w);
            if (Math.Abs(next - w) <= 1e-13 * (1 + Math.Abs(next)))
                return next;
            w = next;
        }

        return w;
    }
}
