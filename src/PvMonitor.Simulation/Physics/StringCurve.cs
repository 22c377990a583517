namespace PvMonitor.Simulation.Physics;

/// <summary>
/// A string's I–V curve sampled at increasing currents (voltages decrease). Reused between minutes to avoid allocation;
/// the MPP tracker reads it through <see cref="CurrentAt"/>.
/// </summary>
public sealed class StringCurve
{
    internal StringCurve(int capacity)
    {
        Current = new double[capacity];
        Voltage = new double[capacity];
    }

    private int _hint;

    /// <summary>Sample currents, A (increasing).</summary>
    internal double[] Current { get; }

    /// <summary>String voltage at each sample current, V (non-increasing).</summary>
    internal double[] Voltage { get; }

    /// <summary>The sampled currents, A (increasing).</summary>
    public ReadOnlySpan<double> Currents => Current.AsSpan(0, Count);

    /// <summary>The string voltage at each sampled current, V (non-increasing).</summary>
    public ReadOnlySpan<double> Voltages => Voltage.AsSpan(0, Count);

    /// <summary>Number of valid samples.</summary>
    public int Count { get; internal set; }

    /// <summary>True when the string's circuit is open (no current can flow).</summary>
    public bool Open { get; internal set; }

    /// <summary>Open-circuit voltage, V.</summary>
    public double OpenCircuitVoltage => Count > 0 ? Voltage[0] : 0;

    /// <summary>Largest current on the curve (≈ short-circuit current), A.</summary>
    public double MaxCurrent => Count > 0 ? Current[Count - 1] : 0;

    /// <summary>Current at an operating voltage (linear interpolation), A; 0 above Voc.</summary>
    public double CurrentAt(double voltage)
    {
        var n = Count;
        if (n == 0 || voltage >= Voltage[0]) return 0;
        if (voltage <= Voltage[n - 1]) return Current[n - 1];
        int lo = 0, hi = n - 1; // Voltage[lo] > voltage ≥ Voltage[hi]
        // Trackers probe near their last point: try the last bracket and its neighbours before bisecting.
        var h = _hint;
        if (h > 0 && h < n && Voltage[h - 1] > voltage && voltage >= Voltage[h]) { lo = h - 1; hi = h; }
        else if (h > 1 && h < n && Voltage[h - 2] > voltage && voltage >= Voltage[h - 1]) { lo = h - 2; hi = h - 1; }
        else if (h + 1 < n && h > 0 && Voltage[h] > voltage && voltage >= Voltage[h + 1]) { lo = h; hi = h + 1; }
        while (hi - lo > 1)
        {
            var mid = (lo + hi) >> 1;
            if (Voltage[mid] > voltage) lo = mid; else hi = mid;
        }

        _hint = hi;
        var v0 = Voltage[lo];
        var v1 = Voltage[hi];
        var t = v0 == v1 ? 0 : (v0 - voltage) / (v0 - v1);
        return Current[lo] + t * (Current[hi] - Current[lo]);
    }

    /// <summary>Power at an operating voltage, W.</summary>
    public double PowerAt(double voltage) => voltage * CurrentAt(voltage);

    /// <summary>The global maximum power point found on the samples (for tests and for reporting losses).</summary>
    public (double V, double I, double P) GlobalMaximum()
    {
        double bestP = 0, bestV = 0, bestI = 0;
        for (var k = 0; k < Count; k++)
        {
            var p = Current[k] * Voltage[k];
            if (p > bestP) { bestP = p; bestV = Voltage[k]; bestI = Current[k]; }
        }

        return (bestV, bestI, bestP);
    }
}
