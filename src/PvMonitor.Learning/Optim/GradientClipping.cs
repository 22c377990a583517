using PvMonitor.Learning.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace PvMonitor.Learning.Optim;

/// <summary>Gradient clipping helpers.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all gradients by min(1, <paramref name="maxNorm"/> / ‖g‖) where ‖g‖ is the L2 norm over all of them
    /// together (as torch.nn.utils.clip_grad_norm_). Returns the norm before clipping.
    /// </summary>
    public static float ClipByGlobalNorm(IReadOnlyList<Tensor> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0f)) throw new ArgumentOutOfRangeException(nameof(maxNorm), "must be > 0");
        double sum = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            var g = parameters[i].GradData;
            if (g is null) continue;
            var s = g.AsSpan(0, parameters[i].Length);
            sum += TensorPrimitives.Dot(s, s);
        }

        float norm = (float)Math.Sqrt(sum);
        float scale = maxNorm / (norm + 1e-6f);
        if (scale < 1f)
        {
            for (int i = 0; i < parameters.Count; i++)
            {
                var g = parameters[i].GradData;
                if (g is null) continue;
                var s = g.AsSpan(0, parameters[i].Length);
                TensorPrimitives.Multiply(s, scale, s);
            }
        }

        return norm;
    }
}
