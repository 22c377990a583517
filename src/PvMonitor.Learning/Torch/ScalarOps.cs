using TorchSharp;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Torch;

/// <summary>
/// Tensor-and-number arithmetic that keeps the number's native <see cref="Scalar"/> alive for the whole libtorch call.
/// TorchSharp 0.107 turns a number into a <see cref="Scalar"/> implicitly (<c>tensor * 0.5</c>, <c>clamp(1e-20, 1)</c>) and
/// passes its native handle on; nothing references the Scalar afterwards, so a garbage collection started by another thread
/// can run its finalizer, which frees the native value while libtorch is still reading it (dotnet/TorchSharp#1434, #1496).
/// The symptoms are rare and random: "Unknown scalar type", "toFloat … Expected false to be true", or a wrong number. Every
/// operation of PvMonitor.Learning with a number goes through these methods, which dispose the Scalar after the call (and so
/// keep it reachable until then); <c>tests/PvMonitor.Learning.Tests/Torch/ScalarOpsTests</c> checks the source for
/// implicit conversions.
/// </summary>
internal static class ScalarOps
{
    /// <summary><paramref name="tensor"/> · <paramref name="value"/>.</summary>
    public static Tensor Times(this Tensor tensor, double value)
    {
        using var s = value.ToScalar();
        return tensor.mul(s);
    }

    /// <summary><paramref name="tensor"/> / <paramref name="value"/>.</summary>
    public static Tensor Over(this Tensor tensor, double value)
    {
        using var s = value.ToScalar();
        return tensor.div(s);
    }

    /// <summary><paramref name="tensor"/> + <paramref name="value"/>.</summary>
    public static Tensor Plus(this Tensor tensor, double value)
    {
        using var s = value.ToScalar();
        return tensor.add(s);
    }

    /// <summary><paramref name="tensor"/> − <paramref name="value"/>.</summary>
    public static Tensor Minus(this Tensor tensor, double value)
    {
        using var s = value.ToScalar();
        return tensor.sub(s);
    }

    /// <summary>Elementwise <paramref name="tensor"/> ≥ <paramref name="value"/> (bool).</summary>
    public static Tensor AtLeast(this Tensor tensor, double value)
    {
        using var s = value.ToScalar();
        return tensor.ge(s);
    }

    /// <summary><paramref name="tensor"/> clamped to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Tensor ClampTo(this Tensor tensor, double min, double max)
    {
        using var lo = min.ToScalar();
        using var hi = max.ToScalar();
        return tensor.clamp(lo, hi);
    }

    /// <summary>0, 1, …, <paramref name="count"/> − 1 as int64 on <paramref name="device"/>.</summary>
    public static Tensor Range(long count, Device device)
    {
        using var stop = count.ToScalar();
        return arange(stop, dtype: int64, device: device);
    }

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Filled(long[] shape, double value, ScalarType dtype, Device device)
    {
        using var s = value.ToScalar();
        return full(shape, s, dtype: dtype, device: device);
    }
}
