using PvMonitor.Learning.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Training;

/// <summary>
/// Where and how a run draws its randomness: the device, a CPU generator for initial weights, a device generator for
/// every sample and dropout mask — both seeded from the run's
/// <see cref="RandomSource"/> (which the trainers also use for shuffles), so the same seed gives bit-identical weights on the
/// same machine and thread count.
/// </summary>
internal sealed class TrainingContext : IDisposable
{
    public TrainingContext(RandomSource random, Device device)
    {
        Device = device;
        InitGenerator = new Generator((ulong)random.NextSeed(), CPU);
        NoiseGenerator = new Generator((ulong)random.NextSeed(), device);
    }

    public Device Device { get; }

    public Generator InitGenerator { get; }

    public Generator NoiseGenerator { get; }

    /// <summary>All rows of <paramref name="set"/> as one float32 tensor on the device (rows × features).</summary>
    public Tensor Upload(TrainingSet set)
    {
        var t = tensor(set.Features, set.Rows, set.FeatureCount, dtype: float32).to(Device);
        t.DetachFromDisposeScope();
        return t;
    }

    /// <summary>Row indices as an int64 tensor on the device.</summary>
    public Tensor Index(ReadOnlySpan<int> rows)
    {
        var values = new long[rows.Length];
        for (int i = 0; i < rows.Length; i++) values[i] = rows[i];
        return tensor(values, device: Device);
    }

    public void Dispose()
    {
        InitGenerator.Dispose();
        NoiseGenerator.Dispose();
    }
}
