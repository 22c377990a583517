namespace PvMonitor.Learning.Optim;

/// <summary>Hyper-parameters of <see cref="Adam"/>. Defaults match PyTorch's <c>torch.optim.Adam</c>.</summary>
public sealed record AdamOptions
{
    /// <summary>Step size (default 1e-3). Replaced at every step by <see cref="Adam.Schedule"/> when one is set.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Decay of the first-moment average (default 0.9).</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>Decay of the second-moment average (default 0.999).</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>Added to the denominator (default 1e-8).</summary>
    public float Epsilon { get; init; } = 1e-8f;

    /// <summary>Weight decay (default 0): added to the gradient as wd·θ (L2, like torch Adam) or, with
    /// <see cref="DecoupledWeightDecay"/>, applied as θ ← θ·(1 − lr·wd) (AdamW).</summary>
    public float WeightDecay { get; init; }

    /// <summary>Use AdamW-style decoupled weight decay (default false).</summary>
    public bool DecoupledWeightDecay { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (!(LearningRate >= 0f) || float.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be ≥ 0 and finite");
        if (!(Beta1 >= 0f && Beta1 < 1f)) throw new ArgumentOutOfRangeException(nameof(Beta1), Beta1, "must be in [0, 1)");
        if (!(Beta2 >= 0f && Beta2 < 1f)) throw new ArgumentOutOfRangeException(nameof(Beta2), Beta2, "must be in [0, 1)");
        if (!(Epsilon > 0f)) throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "must be > 0");
        if (!(WeightDecay >= 0f)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "must be ≥ 0");
    }
}
