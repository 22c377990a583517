using System.Globalization;

namespace PvMonitor.Reports;

/// <summary>
/// One axis of a figure: the plotted range (<see cref="Min"/>–<see cref="Max"/>, in plot coordinates) and its ticks with their
/// labels. Built by <see cref="Covering"/> (nice steps of 1, 2, 2.5 or 5 × 10^k around the data), <see cref="Inside"/>
/// (nice or integer steps within a range), <see cref="AtValues"/> (one tick per given value, e.g. the label budgets that ran)
/// or <see cref="SymmetricLog"/> (decades on a sign(x)·log10(1 + |x|) axis).
/// </summary>
internal sealed record AxisScale(double Min, double Max, IReadOnlyList<double> Ticks, IReadOnlyList<string> Labels)
{
    private static readonly double[] Mantissas = [1, 2, 2.5, 5];

    /// <summary>Nice ticks whose first is ≤ <paramref name="low"/> and last ≥ <paramref name="high"/>, at most <paramref name="maxTicks"/> of them; the range is first to last tick.</summary>
    public static AxisScale Covering(double low, double high, int maxTicks = 7)
    {
        (low, high) = Widen(low, high);
        for (double step = FirstStep(high - low, maxTicks); ; step = NextStep(step))
        {
            double first = Math.Floor(low / step + 1e-9), last = Math.Ceiling(high / step - 1e-9);
            if (last - first + 1 <= maxTicks) return Stepped(first, last, step, first * step, last * step);
        }
    }

    /// <summary>
    /// Nice ticks inside [<paramref name="low"/>, <paramref name="high"/>] (integers only when <paramref name="integers"/>, e.g.
    /// counts), at most <paramref name="maxTicks"/>; the range is the given one, padded by <paramref name="pad"/> of its width.
    /// </summary>
    public static AxisScale Inside(double low, double high, bool integers = false, int maxTicks = 8, double pad = 0)
    {
        (low, high) = Widen(low, high);
        double step = FirstStep(high - low, maxTicks);
        while (integers && (step < 1 || step != Math.Floor(step))) step = NextStep(step);
        for (; ; step = NextStep(step))
        {
            double first = Math.Ceiling(low / step - 1e-9), last = Math.Floor(high / step + 1e-9);
            if (last - first + 1 <= maxTicks && (!integers || step == Math.Floor(step)))
                return Stepped(first, last, step, low - pad * (high - low), high + pad * (high - low));
        }
    }

    /// <summary>One tick at each distinct finite value (sorted); the range spans them, padded by <paramref name="pad"/> of its width.</summary>
    public static AxisScale AtValues(IEnumerable<double> values, double pad = 0.04)
    {
        var ticks = values.Where(double.IsFinite).Distinct().Order().ToArray();
        if (ticks.Length == 0) return Covering(0, 1);
        var (low, high) = Widen(ticks[0], ticks[^1]);
        int decimals = ticks.Max(Decimals);
        return new AxisScale(low - pad * (high - low), high + pad * (high - low), ticks, ticks.Select(t => Format(t, decimals)).ToArray());
    }

    /// <summary>sign(x)·log10(1 + |x|): keeps sign and zero, compresses tails spanning decades (ELBOs from +3 to −50,000 nats).</summary>
    public static double SymLog(double x) => Math.CopySign(Math.Log10(1 + Math.Abs(x)), x);

    /// <summary>
    /// Ticks at 0 and ±10^k inside [<paramref name="low"/>, <paramref name="high"/>], both given in <see cref="SymLog"/> coordinates,
    /// labelled with the original values; every other decade when more than <paramref name="maxTicks"/>.
    /// </summary>
    public static AxisScale SymmetricLog(double low, double high, int maxTicks = 8)
    {
        (low, high) = Widen(low, high);
        var values = new List<double> { 0 };
        for (int k = 0; k <= 15; k++) values.AddRange([Math.Pow(10, k), -Math.Pow(10, k)]);
        var inside = values.Where(v => SymLog(v) >= low - 1e-9 && SymLog(v) <= high + 1e-9).Order().ToList();
        if (inside.Count > maxTicks) inside.RemoveAll(v => Math.Abs(v) == 1);
        for (int every = 2; inside.Count > maxTicks; every++)
            inside = inside.Where(v => v == 0 || Math.Round(Math.Log10(Math.Abs(v))) % every == 0).ToList();
        return new AxisScale(low, high, inside.Select(SymLog).ToArray(), inside.Select(v => Format(v, 0)).ToArray());
    }

    /// <summary>The smallest nice number (1, 2, 2.5 or 5 × 10^k) that is ≥ <paramref name="value"/> (&gt; 0).</summary>
    public static double NiceAtLeast(double value)
    {
        double step = FirstStep(value, 1);
        while (step < value * (1 - 1e-12)) step = NextStep(step);
        return step;
    }

    /// <summary>A tick label: invariant culture, thousands separated, as many decimals as the step needs.</summary>
    public static string Format(double value, int decimals) =>
        (Math.Abs(value) < 1e-12 ? 0 : value).ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static AxisScale Stepped(double first, double last, double step, double min, double max)
    {
        var ticks = new double[(int)(last - first) + 1];
        for (int i = 0; i < ticks.Length; i++) ticks[i] = Math.Round((first + i) * step, 10);
        int decimals = Decimals(step);
        return new AxisScale(min, max, ticks, ticks.Select(t => Format(t, decimals)).ToArray());
    }

    private static (double Low, double High) Widen(double low, double high)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high)) return (0, 1);
        if (high < low) (low, high) = (high, low);
        if (high > low) return (low, high);
        double half = low == 0 ? 1 : Math.Abs(low) * 0.1;
        return (low - half, high + half);
    }

    /// <summary>A nice step at most the span / ticks, to be increased by <see cref="NextStep"/> until the ticks fit.</summary>
    private static double FirstStep(double span, int maxTicks) => Math.Pow(10, Math.Floor(Math.Log10(span / Math.Max(1, maxTicks))) - 1);

    private static double NextStep(double step)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
        double mantissa = step / magnitude;
        foreach (var m in Mantissas)
            if (m > mantissa + 1e-9) return m * magnitude;
        return 10 * magnitude;
    }

    private static int Decimals(double value)
    {
        for (int d = 0; d < 10; d++)
        {
            double scaled = Math.Abs(value) * Math.Pow(10, d);
            if (Math.Abs(scaled - Math.Round(scaled)) < 1e-6 * Math.Max(1, scaled)) return d;
        }

        return 10;
    }
}
