using System.Runtime.InteropServices;

namespace PvMonitor.Learning.Torch;

/// <summary>
/// Keeps glibc's allocator from handing libtorch's working memory back to the kernel after every call. libtorch takes each
/// intermediate tensor from <c>malloc</c>; scoring a batch of 512 rows × 10 classes makes tensors of 0.1–1 MB, above glibc's
/// default mmap threshold (128 KiB, adjusted upwards only as such blocks are freed) and its trim threshold (128 KiB), so
/// every call mapped fresh pages and faulted them in again: on this project's 2-core machine scoring at batch 512 ran at
/// 44,000–46,000 samples/s with the defaults and 96,000–121,000 with these settings, and the worker's peak RSS at
/// 20,000 msg/s was 522–562 MB instead of 774 MB (bench/README.md, "SDGM on TorchSharp" and "Worker"). The cost is that up
/// to <see cref="TrimThresholdBytes"/> of freed memory per arena stays mapped: the scoring benchmark's own peak RSS rose
/// from ~350 to ~375 MB.
/// </summary>
/// <remarks>
/// Applied once per process — first thing in <c>Main</c> (<see cref="TorchRuntime.TuneNativeHeap"/>), else by <see cref="TorchRuntime.EnsureLoaded"/> — through <c>mallopt</c> on Linux with glibc; a no-op elsewhere
/// (other C libraries, macOS, Windows). Environment variables that set the same knobs (<c>MALLOC_MMAP_THRESHOLD_</c>,
/// <c>MALLOC_TRIM_THRESHOLD_</c>, <c>MALLOC_TOP_PAD_</c>, <c>MALLOC_ARENA_MAX</c>) win: when one is set, nothing is changed; so does
/// <c>PVMONITOR_NATIVE_HEAP=default</c>, which keeps glibc's defaults.
/// </remarks>
internal static partial class NativeHeapTuning
{
    /// <summary>Blocks up to this size come from the heap instead of their own mapping: 32 MiB (glibc's maximum on 64-bit).</summary>
    public const int MmapThresholdBytes = 32 * 1024 * 1024;

    /// <summary>Free memory at the top of a heap is returned to the kernel only above this: 64 MiB.</summary>
    public const int TrimThresholdBytes = 64 * 1024 * 1024;

    /// <summary>Extra memory requested whenever a heap grows, and kept when a thread's heap empties: 16 MiB of address
    /// space (pages count towards RSS only once written). Without it glibc deletes a thread arena's secondary heap as soon
    /// as it is free, whatever the trim threshold, and the next batch faults it in again.</summary>
    public const int TopPadBytes = 16 * 1024 * 1024;

    /// <summary>At most this many malloc arenas (glibc's default is 8 per core): every arena keeps its own retained memory,
    /// and the worker's thread-pool threads would otherwise each get one.</summary>
    public const int MaxArenas = 2;

    private const int MArenaMax = -8;
    private const int MTrimThreshold = -1;
    private const int MTopPad = -2;
    private const int MMmapThreshold = -3;

    private static readonly Lazy<bool> Applied = new(Set);

    /// <summary>Applies the settings once per process (later calls return the first result); returns whether they were set.</summary>
    public static bool Apply() => Applied.Value;

    private static bool Set()
    {
        if (!OperatingSystem.IsLinux() || OverriddenByEnvironment) return false;
        try
        {
            // Both or neither: a trim threshold alone turns off glibc's adaptive mmap threshold and makes things worse.
            if (Mallopt(MMmapThreshold, MmapThresholdBytes) != 1) return false;
            return Mallopt(MTrimThreshold, TrimThresholdBytes) == 1 && Mallopt(MTopPad, TopPadBytes) == 1 && Mallopt(MArenaMax, MaxArenas) == 1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (e.g. musl): its allocator has no such knobs
        }
    }

    /// <summary>Whether the environment asks for other settings (see the remarks).</summary>
    public static bool OverriddenByEnvironment =>
        Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null || Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null
        || Environment.GetEnvironmentVariable("MALLOC_TOP_PAD_") is not null || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null
        || string.Equals(Environment.GetEnvironmentVariable("PVMONITOR_NATIVE_HEAP"), "default", StringComparison.OrdinalIgnoreCase);

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
