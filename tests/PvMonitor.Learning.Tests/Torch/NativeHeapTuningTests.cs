using System.Globalization;
using System.Runtime.InteropServices;
using PvMonitor.Learning.Torch;

namespace PvMonitor.Learning.Tests.Torch;

public sealed class NativeHeapTuningTests
{
    [Fact]
    public void Memory_freed_after_a_batch_is_reused_without_faulting_its_pages_in_again()
    {
        if (!OperatingSystem.IsLinux() || NativeHeapTuning.OverriddenByEnvironment)
            return; // glibc's knobs only; the environment takes precedence where it sets them
        TorchRuntime.EnsureLoaded();
        NativeHeapTuning.Apply().Should().BeTrue("this test host runs on glibc, whose mallopt takes both thresholds");

        // What a scored batch does: many intermediate blocks of ~1 MiB (256 pages each), written, then all freed together
        // when the batch's dispose scope ends. With glibc's defaults the free space at the top of the heap exceeds the
        // (adaptive) trim threshold and goes back to the kernel, so the next batch faults every page in again; with the
        // tuned thresholds it stays mapped and is reused.
        const int blocks = 24, size = 1 << 20, rounds = 20;
        Batch(blocks, size); // the heap grows once
        long before = MinorFaults();
        for (int i = 0; i < rounds; i++) Batch(blocks, size);
        long faults = MinorFaults() - before;

        // Untuned that is ~120,000 faults (20 × 24 × 256); other threads of the test host add a few hundred at most.
        faults.Should().BeLessThan(rounds * blocks * 256 / 10, "memory freed by one batch must stay mapped for the next");
    }

    private static unsafe void Batch(int blocks, int size)
    {
        var pointers = new nint[blocks];
        for (int b = 0; b < blocks; b++)
        {
            var p = (byte*)NativeMemory.Alloc((nuint)size);
            for (int offset = 0; offset < size; offset += 4096) p[offset] = 1;
            pointers[b] = (nint)p;
        }

        foreach (var p in pointers) NativeMemory.Free((void*)p);
    }

    /// <summary>Minor page faults of this process so far (/proc/self/stat, field 10).</summary>
    private static long MinorFaults()
    {
        var fields = File.ReadAllText("/proc/self/stat").Split(')', 2)[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(fields[7], CultureInfo.InvariantCulture);
    }
}
