using System.Diagnostics;

namespace PvMonitor.Learning.Kernels;

/// <summary>
/// A unit of work split into chunks that <see cref="WorkerPool"/> hands out to the caller and background workers.
/// The claim/completion counters live here, so one object must not run two jobs at once.
/// </summary>
internal abstract class ParallelWork
{
    internal int Next;
    internal int Done;
    internal int Chunks;
    internal int Active;
    internal volatile bool Closed = true;

    /// <summary>Runs chunk <paramref name="chunk"/> of <paramref name="chunks"/>.</summary>
    public abstract void Run(int chunk, int chunks);

    /// <summary>Claims and runs chunks until none are left.</summary>
    internal void Drain()
    {
        int chunks = Chunks;
        while (true)
        {
            int c = Interlocked.Increment(ref Next) - 1;
            if (c >= chunks) return;
            Run(c, chunks);
            Interlocked.Increment(ref Done);
        }
    }
}

/// <summary>
/// A tiny fork/join pool for the few kernels where splitting pays (large matrix products). The caller and
/// persistent background workers claim chunks from a shared counter, so a worker that is late (the machine is busy)
/// costs nothing: the caller simply runs more chunks itself. Workers spin briefly after a job, then sleep. Dispatch
/// allocates nothing. One job at a time; a thread that finds the pool busy runs its job alone.
/// </summary>
internal static class WorkerPool
{
    private static readonly object Gate = new();
    private static readonly object SleepLock = new();
    private static readonly long SpinTicks = Stopwatch.Frequency / 10_000; // ~100 µs
    private static Thread[]? _threads;
    private static ParallelWork? _work;
    private static long _epoch;
    private static int _sleepers;
    private static Exception? _failure;

    /// <summary>Threads used for parallel kernels, caller included (environment variable <c>PVML_THREADS</c>; default: all cores, at most 8).</summary>
    public static int Parallelism { get; } = ReadParallelism();

    /// <summary>Runs <paramref name="work"/> in <paramref name="chunks"/> chunks and waits for all of them.</summary>
    public static void Run(ParallelWork work, int chunks)
    {
        work.Next = 0;
        work.Done = 0;
        work.Chunks = chunks;
        if (chunks <= 1 || Parallelism <= 1 || !Monitor.TryEnter(Gate))
        {
            work.Closed = false;
            work.Drain();
            work.Closed = true;
            return;
        }

        try
        {
            EnsureStarted();
            _failure = null;
            work.Closed = false;
            Volatile.Write(ref _work, work);
            Interlocked.Increment(ref _epoch);
            if (Volatile.Read(ref _sleepers) > 0)
            {
                lock (SleepLock) Monitor.PulseAll(SleepLock);
            }

            work.Drain();
            var spin = new SpinWait();
            while (Volatile.Read(ref work.Done) < chunks) spin.SpinOnce(-1);
            work.Closed = true;
            while (Volatile.Read(ref work.Active) > 0) spin.SpinOnce(-1);
            Volatile.Write(ref _work, null);
            if (_failure is { } f) throw new AggregateException("A parallel kernel chunk failed.", f);
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
            threads[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"pvml-worker-{i + 1}" };
            threads[i].Start();
        }

        _threads = threads;
    }

    private static void WorkerLoop()
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
            var work = Volatile.Read(ref _work);
            if (work is null) continue;
            Interlocked.Increment(ref work.Active);
            try
            {
                // Closed is set only after every chunk is done, and fields are ready before it is cleared.
                if (!work.Closed) work.Drain();
            }
            catch (Exception e)
            {
                _failure = e;
                Interlocked.Exchange(ref work.Done, int.MaxValue / 2);
            }
            finally
            {
                Interlocked.Decrement(ref work.Active);
            }
        }
    }

    private static int ReadParallelism()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("PVML_THREADS"), out int n) && n >= 1) return Math.Min(n, 64);
        return Math.Clamp(Environment.ProcessorCount, 1, 8);
    }
}
