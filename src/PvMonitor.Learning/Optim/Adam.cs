using System.Runtime.Intrinsics;
using PvMonitor.Learning.Nn;
using PvMonitor.Learning.Serialization;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba) with bias correction, computed as PyTorch does:
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
/// Parameters that never received a gradient are skipped; the bias correction uses the optimizer's step count t
/// (PyTorch counts per parameter — the same unless some parameters miss gradients on some steps). State (step,
/// moments) is saveable through <see cref="StateDict"/>.
/// </summary>
public sealed class Adam
{
    private readonly string[] _names;
    private readonly Tensor[] _params;
    private readonly float[][] _m;
    private readonly float[][] _v;

    /// <summary>Optimises the parameters of <paramref name="module"/>.</summary>
    public Adam(Module module, AdamOptions? options = null)
        : this((module ?? throw new ArgumentNullException(nameof(module))).NamedParameters(), options)
    {
    }

    /// <summary>Optimises named parameters (names are used for the saved state).</summary>
    public Adam(IEnumerable<KeyValuePair<string, Tensor>> parameters, AdamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Options = options ?? new AdamOptions();
        Options.Validate();
        var list = parameters.ToList();
        if (list.Select(p => p.Key).Distinct().Count() != list.Count) throw new ArgumentException("Parameter names must be unique.", nameof(parameters));
        _names = list.Select(p => p.Key).ToArray();
        _params = list.Select(p => p.Value).ToArray();
        _m = _params.Select(p => new float[p.Length]).ToArray();
        _v = _params.Select(p => new float[p.Length]).ToArray();
        LearningRate = Options.LearningRate;
    }

    /// <summary>The options this optimizer was created with.</summary>
    public AdamOptions Options { get; }

    /// <summary>Current learning rate (set by <see cref="Schedule"/> at each step when one is given).</summary>
    public float LearningRate { get; set; }

    /// <summary>Optional learning-rate schedule, evaluated at the 0-based step about to be taken.</summary>
    public ILearningRateSchedule? Schedule { get; set; }

    /// <summary>Steps taken so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>The optimised parameters.</summary>
    public IReadOnlyList<Tensor> Parameters => _params;

    /// <summary>Zeroes the gradients of all parameters.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _params) p.ZeroGrad();
    }

    /// <summary>Applies one update from the accumulated gradients.</summary>
    public void Step()
    {
        if (Schedule is not null) LearningRate = Schedule.LearningRate(StepCount);
        StepCount++;
        var o = Options;
        float bc1 = 1f - MathF.Pow(o.Beta1, StepCount);
        float bc2 = 1f - MathF.Pow(o.Beta2, StepCount);
        float stepSize = LearningRate / bc1;
        float invSqrtBc2 = 1f / MathF.Sqrt(bc2);
        for (int i = 0; i < _params.Length; i++)
        {
            var p = _params[i];
            if (p.GradData is null) continue;
            Update(p.Span, p.GradData.AsSpan(0, p.Length), _m[i], _v[i], o, LearningRate, stepSize, invSqrtBc2);
        }
    }

    private static void Update(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, AdamOptions o, float lr, float stepSize, float invSqrtBc2)
    {
        float b1 = o.Beta1, b2 = o.Beta2, eps = o.Epsilon;
        float wd = o.DecoupledWeightDecay ? 0f : o.WeightDecay;
        float shrink = o.DecoupledWeightDecay ? 1f - lr * o.WeightDecay : 1f;
        int n = p.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vb1 = Vector256.Create(b1);
            var vb1c = Vector256.Create(1f - b1);
            var vb2 = Vector256.Create(b2);
            var vb2c = Vector256.Create(1f - b2);
            var vwd = Vector256.Create(wd);
            var vshrink = Vector256.Create(shrink);
            var vstep = Vector256.Create(stepSize);
            var vbc2 = Vector256.Create(invSqrtBc2);
            var veps = Vector256.Create(eps);
            for (; i + 8 <= n; i += 8)
            {
                var pv = Vector256.Create<float>(p.Slice(i, 8));
                var gv = Vector256.Create<float>(g.Slice(i, 8)) + vwd * pv;
                var mv = vb1 * Vector256.Create<float>(m.Slice(i, 8)) + vb1c * gv;
                var vv = vb2 * Vector256.Create<float>(v.Slice(i, 8)) + vb2c * gv * gv;
                mv.CopyTo(m.Slice(i, 8));
                vv.CopyTo(v.Slice(i, 8));
                var denom = Vector256.Sqrt(vv) * vbc2 + veps;
                (pv * vshrink - vstep * mv / denom).CopyTo(p.Slice(i, 8));
            }
        }

        for (; i < n; i++)
        {
            float gi = g[i] + wd * p[i];
            m[i] = b1 * m[i] + (1f - b1) * gi;
            v[i] = b2 * v[i] + (1f - b2) * gi * gi;
            float denom = MathF.Sqrt(v[i]) * invSqrtBc2 + eps;
            p[i] = p[i] * shrink - stepSize * m[i] / denom;
        }
    }

    /// <summary>
    /// The optimizer state: scalars <c>step</c> and <c>lr</c>, tensors <c>exp_avg.NAME</c> and <c>exp_avg_sq.NAME</c>
    /// (copies). Save it with <see cref="ParameterFileWriter"/>.
    /// </summary>
    public StateDict StateDict()
    {
        var s = new StateDict();
        s.AddScalar("step", StepCount);
        s.AddScalar("lr", LearningRate);
        for (int i = 0; i < _params.Length; i++)
        {
            s.Add("exp_avg." + _names[i], Shaped(_params[i], _m[i]));
            s.Add("exp_avg_sq." + _names[i], Shaped(_params[i], _v[i]));
        }

        return s;
    }

    /// <summary>Restores state saved by <see cref="StateDict"/>; validates everything first and changes nothing on a mismatch.</summary>
    public void LoadStateDict(StateDict state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = new List<string>();
        if (!state.TryGetScalar("step", out double step) || step < 0 || step != Math.Floor(step)) problems.Add("missing or invalid 'step'");
        if (!state.TryGetScalar("lr", out double lr) || !double.IsFinite(lr)) problems.Add("missing or invalid 'lr'");
        for (int i = 0; i < _params.Length; i++)
        {
            foreach (var key in new[] { "exp_avg." + _names[i], "exp_avg_sq." + _names[i] })
            {
                if (!state.TryGetTensor(key, out var t)) problems.Add($"missing '{key}'");
                else if (t.Length != _params[i].Length) problems.Add($"'{key}' has {t.Length} values, parameter has {_params[i].Length}");
            }
        }

        if (problems.Count > 0) throw new StateDictMismatchException(problems);
        StepCount = (long)step;
        LearningRate = (float)lr;
        for (int i = 0; i < _params.Length; i++)
        {
            state["exp_avg." + _names[i]].Span.CopyTo(_m[i]);
            state["exp_avg_sq." + _names[i]].Span.CopyTo(_v[i]);
        }
    }

    private static Tensor Shaped(Tensor like, float[] values)
    {
        var t = like.Rank == 1 ? Tensor.Zeros(like.Cols) : Tensor.Zeros(like.Rows, like.Cols);
        values.CopyTo(t.Span);
        return t;
    }
}
