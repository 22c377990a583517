using TorchSharp;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Torch;

/// <summary>
/// Loads libtorch once, chooses the compute device and sets its thread counts. Every entry point that trains or scores
/// calls <see cref="EnsureLoaded"/> first, so a machine where libtorch cannot load gets one clear
/// <see cref="TorchUnavailableException"/> instead of a type-initialiser crash.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool _loaded;
    private static bool _interOpSet;

    /// <summary>
    /// Threads for the command-line verbs that train or evaluate (train, evaluate, experiment): 1. The SDGM's operations
    /// are small (batches of 100 rows × 10 classes through 50-unit layers), so libtorch's OpenMP threads cost more in
    /// hand-offs than they gain: on this project's 2-core machine one thread trained an epoch of 12,000 rows in 1.6 s, two
    /// spinning threads in 2.0 s, two passive threads in 7.0 s, and spinning threads collapse whenever another process
    /// holds a core (bench/README.md, "SDGM on TorchSharp"). Raise it with --threads on a large machine with large batches.
    /// </summary>
    public const int DefaultCliThreads = 1;

    /// <summary>
    /// Threads for scoring in the worker (<c>Model:Threads</c> default 1): the worker shares its cores with its own pipeline,
    /// the broker and the database, and scores micro-batches of a few hundred rows, where one thread is both fastest per
    /// core and immune to contention.
    /// </summary>
    public const int DefaultWorkerThreads = 1;

    /// <summary>The device names accepted by <see cref="ResolveDevice"/>: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, <c>auto</c>.</summary>
    public const string DeviceHelp = "cpu, cuda, cuda:N or auto (CUDA when TorchSharp reports it, else CPU)";

    /// <summary>
    /// Loads libtorch (CPU backend; CUDA is initialised by <see cref="ResolveDevice"/> when asked for), checks that it
    /// runs one operation and keeps the C heap from returning libtorch's working memory after every call
    /// (<see cref="NativeHeapTuning"/>).
    /// </summary>
    /// <exception cref="TorchUnavailableException">The native library could not be loaded.</exception>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded) return;
            NativeHeapTuning.Apply();
            try
            {
                InitializeDeviceType(DeviceType.CPU);
                using var probe = ones(1);
            }
            catch (Exception ex) when (ex is TypeInitializationException or NotSupportedException or DllNotFoundException or BadImageFormatException or EntryPointNotFoundException or InvalidOperationException)
            {
                var reason = FirstLine((ex as TypeInitializationException)?.InnerException?.Message ?? ex.Message);
                throw new TorchUnavailableException(
                    "libtorch could not be loaded (TorchSharp's native library, needed to train and score models): " + reason +
                    " Check that the build output has runtimes/linux-x64/native/libtorch_cpu.so and libLibTorchSharp.so; on Debian 12 build with the .NET SDK on the same machine so the build patches the library for its older libstdc++ (README, 'libtorch, GPUs and Debian 12').", ex);
            }

            _loaded = true;
        }
    }

    /// <summary>
    /// Applies <see cref="NativeHeapTuning"/> (glibc's mmap and trim thresholds, top pad and arena count) now. Call it first
    /// thing in <c>Main</c>: the arena limit holds only for threads that have not allocated yet. <see cref="EnsureLoaded"/>
    /// applies it too, for hosts that did not. Returns whether the settings were applied (false off glibc, or where the
    /// environment sets them).
    /// </summary>
    public static bool TuneNativeHeap() => NativeHeapTuning.Apply();

    /// <summary>Whether CUDA can be used by this process (loads libtorch first).</summary>
    public static bool CudaAvailable
    {
        get
        {
            EnsureLoaded();
            try
            {
                return cuda.is_available();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return false;
            }
        }
    }

    /// <summary>Turns a device name into a device.</summary>
    /// <param name="name">See <see cref="DeviceHelp"/>; case-insensitive.</param>
    /// <param name="source">The option or key the name came from (e.g. <c>--device</c>, <c>Model:Device</c>), for messages.</param>
    /// <exception cref="DeviceNotAvailableException">Unknown name, or CUDA asked for where none exists.</exception>
    /// <exception cref="TorchUnavailableException">libtorch could not be loaded.</exception>
    public static Device ResolveDevice(string? name, string source = "--device")
    {
        var value = (name ?? "auto").Trim().ToLowerInvariant();
        EnsureLoaded();
        if (value is "" or "auto") return CudaAvailable ? CUDA : CPU;
        if (value == "cpu") return CPU;
        if (value == "cuda" || value.StartsWith("cuda:", StringComparison.Ordinal))
        {
            int index = 0;
            if (value.Length > 5 && !int.TryParse(value.AsSpan(5), out index))
                throw new DeviceNotAvailableException($"{source}: '{name}' is not a device ({DeviceHelp}).", source);
            if (!CudaAvailable)
                throw new DeviceNotAvailableException($"{source}: '{name}' asks for CUDA, but TorchSharp reports no usable CUDA device here (this build uses the '{BackendName}' libtorch package; build with -p:TorchBackend=cuda on a machine with an NVIDIA driver). Use cpu or auto.", source);
            int count = (int)cuda.device_count();
            if (index < 0 || index >= count)
                throw new DeviceNotAvailableException($"{source}: '{name}' — this machine has {count} CUDA device(s) (cuda:0…cuda:{count - 1}).", source);
            return new Device(DeviceType.CUDA, index);
        }

        throw new DeviceNotAvailableException($"{source}: '{name}' is not a device ({DeviceHelp}).", source);
    }

    /// <summary>
    /// Sets libtorch's intra-op threads (and, once per process, its inter-op threads) to <paramref name="threads"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is outside 1–256.</exception>
    public static void SetThreads(int threads)
    {
        if (threads is < 1 or > 256) throw new ArgumentOutOfRangeException(nameof(threads), threads, "Threads must be 1–256.");
        EnsureLoaded();
        lock (Gate)
        {
            set_num_threads(threads);
            if (_interOpSet) return;
            try
            {
                set_num_interop_threads(threads);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // libtorch allows it only before its first parallel work; the intra-op count is what matters for us.
            }

            _interOpSet = true;
        }
    }

    /// <summary>The intra-op threads libtorch uses now.</summary>
    public static int Threads
    {
        get
        {
            EnsureLoaded();
            return get_num_threads();
        }
    }

    /// <summary>Which native package this build references: <c>cpu</c> or <c>cuda</c>.</summary>
    public static string BackendName =>
        AppContext.GetData("PvMonitor.TorchBackend") as string ?? "cpu";

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.EndsWith('.') ? line : line + ".";
    }
}
