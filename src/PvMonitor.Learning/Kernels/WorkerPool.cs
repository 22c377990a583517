using System.Diagnostics;

namespace PvMonitor.Learning.Kernels;

/// <summary>A unit of work split into parts that <see cref="WorkerPool"/> runs on several cores.</summary>
internal abstract class ParallelWork
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    public abstract void Run(int part, int parts);
}

/// <summary>
/// A tiny fork/join pool for the few kernels where splitting pays (large matrix products): the caller runs part 0,
/// persistent background workers run the rest. Workers spin briefly after a job (so back-to-back products in a
/// training step start without a wake-up) and then sleep. Dispatch allocates nothing. One job at a time; a thread
/// that finds the pool busy simply runs its job alone.
/// </summary>
internal static class WorkerPool
{
    private static readonly object Gate = new();
    private static readonly object SleepLock = new();
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // ~200 µs
    private static Thread[]? _threads;
    private static ParallelWork? _work;
    private static int _parts;
    private static long _epoch;
    private static int _pending;
    private static int _sleepers;
    private static Exception? _failure;

    /// <summary>Cores used for parallel kernels (environment variable <c>PVML_THREADS</c> overrides; default: all, at most 8).</summary>
    public static int Parallelism { get; } = ReadParallelism();

    /// <summary>Runs <paramref name="work"/> in <paramref name="parts"/> parts (≤ <see cref="Parallelism"/>) and waits for all.</summary>
    public static void Run(ParallelWork work, int parts)
    {
        if (parts <= 1 || Parallelism <= 1 || !Monitor.TryEnter(Gate))
        {
            for (int p = 0; p < parts; p++) work.Run(p, parts);
            return;
        }

        try
        {
            parts = Math.Min(parts, Parallelism);
            EnsureStarted();
            _work = work;
            _parts = parts;
            _failure = null;
            Volatile.Write(ref _pending, parts - 1);
            Interlocked.Increment(ref _epoch);
            if (Volatile.Read(ref _sleepers) > 0)
            {
                lock (SleepLock) Monitor.PulseAll(SleepLock);
            }

            work.Run(0, parts);
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) > 0) spin.SpinOnce(-1);
            _work = null;
            if (_failure is { } f) throw new AggregateException("A parallel kernel part failed.", f);
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    private static void EnsureStarted()
    {
        if (_threads is not null) return;
        var threads = new Thread[Parallelism - 1];
        for (int i = 0; i < threads.Length; i++)
        {
            int part = i + 1;
            threads[i] = new Thread(() => WorkerLoop(part)) { IsBackground = true, Name = $"pvml-worker-{part}" };
            threads[i].Start();
        }

        _threads = threads;
    }

    private static void WorkerLoop(int part)
    {
        long seen = Volatile.Read(ref _epoch);
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _epoch) == seen)
            {
                if (Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(20);
                    continue;
                }

                lock (SleepLock)
                {
                    Interlocked.Increment(ref _sleepers);
                    while (Volatile.Read(ref _epoch) == seen) Monitor.Wait(SleepLock);
                    Interlocked.Decrement(ref _sleepers);
                }
            }

            seen = Volatile.Read(ref _epoch);
            var work = _work;
            if (work is not null && part < _parts)
            {
                try
                {
                    work.Run(part, _parts);
                }
                catch (Exception e)
                {
                    _failure = e;
                }

                Interlocked.Decrement(ref _pending);
            }
        }
    }

    private static int ReadParallelism()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("PVML_THREADS"), out int n) && n >= 1) return Math.Min(n, 64);
        return Math.Clamp(Environment.ProcessorCount, 1, 8);
    }
}
