using PvMonitor.Learning.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Models;

/// <summary>
/// A model's standardisation as tensors on its device: raw rows in, (x − mean) / std out; and the copy of results back
/// into caller buffers. Shared by the SDGM and the baselines.
/// </summary>
internal sealed class InputScaling : IDisposable
{
    private readonly Tensor _mean;
    private readonly Tensor _invStd;
    private readonly int _features;

    public InputScaling(Standardizer standardizer, Device device)
    {
        Device = device;
        _features = standardizer.Count;
        _mean = tensor(standardizer.Mean, device: device).view(1, -1);
        _invStd = tensor(standardizer.Std.Select(s => 1f / s).ToArray(), device: device).view(1, -1);
        _mean.DetachFromDisposeScope();
        _invStd.DetachFromDisposeScope();
    }

    public Device Device { get; }

    /// <summary><paramref name="rows"/> raw rows (row-major) standardised, on the device (registered on the current dispose scope).</summary>
    public Tensor Standardise(ReadOnlySpan<float> raw, int rows)
    {
        var x = empty(rows, _features, dtype: float32);
        x.data<float>().CopyFrom(raw, 0, 0);
        return (x.to(Device) - _mean) * _invStd;
    }

    /// <summary>Copies a float32 tensor (any device) into <paramref name="destination"/> in row-major order.</summary>
    public static void CopyOut(Tensor source, Span<float> destination)
    {
        using var cpu = source.to(CPU).contiguous();
        cpu.data<float>().CopyTo(destination, 0, 0);
    }

    public void Dispose()
    {
        _mean.Dispose();
        _invStd.Dispose();
    }
}
