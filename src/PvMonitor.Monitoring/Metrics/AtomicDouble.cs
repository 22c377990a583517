namespace PvMonitor.Monitoring.Metrics;

/// <summary>Lock-free addition on a double stored as its 64-bit pattern.</summary>
internal static class AtomicDouble
{
    public static void Add(ref long bits, double amount)
    {
        while (true)
        {
            var old = Volatile.Read(ref bits);
            var updated = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(old) + amount);
            if (Interlocked.CompareExchange(ref bits, updated, old) == old) return;
        }
    }
}
