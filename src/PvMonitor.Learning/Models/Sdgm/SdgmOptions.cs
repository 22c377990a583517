namespace PvMonitor.Learning.Models.Sdgm;

/// <summary>
/// Hyperparameters of the Skip Deep Generative Model. Defaults follow the PV paper (Maaløe et al. 2018, Appendix D)
/// and the SDGM paper (Appendix A): two hidden layers of 50 ReLU units per network, Adam with learning rate 3·10⁻⁴,
/// β = 0.1 with α = β·(N_l + N_u)/N_l, and a linear KL warm-up.
/// </summary>
public sealed record SdgmOptions
{
    /// <summary>Size of the auxiliary latent z1 (default 8).</summary>
    public int Z1 { get; init; } = 8;

    /// <summary>Size of the latent z2 (default 8).</summary>
    public int Z2 { get; init; } = 8;

    /// <summary>Hidden units per layer in every network (default 50).</summary>
    public int Hidden { get; init; } = 50;

    /// <summary>Hidden layers per network (default 2).</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Activation of the hidden layers (default ReLU, as in the paper).</summary>
    public HiddenActivation Activation { get; init; } = HiddenActivation.Relu;

    /// <summary>β in α = β·(N_l + N_u)/N_l, the weight of the classification term (default 0.1).</summary>
    public float Beta { get; init; } = 0.1f;

    /// <summary>Adam learning rate (default 3e-4).</summary>
    public float LearningRate { get; init; } = 3e-4f;

    /// <summary>Labeled rows per step (default 100).</summary>
    public int LabeledBatch { get; init; } = 100;

    /// <summary>Unlabeled rows per step, each evaluated for all K classes (default 100).</summary>
    public int UnlabeledBatch { get; init; } = 100;

    /// <summary>Maximum epochs; an epoch is one pass over all training rows as unlabeled data (default 200).</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Epochs over which the KL terms' weight rises linearly from 0 to 1 (default 10; 0 = no warm-up).</summary>
    public int WarmupEpochs { get; init; } = 10;

    /// <summary>Stop after this many epochs without a better validation score (default 20; 0 = never stop early).</summary>
    public int Patience { get; init; } = 20;

    /// <summary>Fraction of labeled rows held out for early stopping and model selection (default 0.1).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Lower bound of every log-variance, nats (default −8). Keeps densities bounded.</summary>
    public float LogVarMin { get; init; } = -8f;

    /// <summary>Upper bound of every log-variance, nats (default 4).</summary>
    public float LogVarMax { get; init; } = 4f;

    /// <summary>Gradient clipping by global norm (default 10; 0 = off).</summary>
    public float ClipNorm { get; init; } = 10f;

    /// <summary>Percentile of training ELBOs used as the anomaly threshold (default 0.5, i.e. the 0.5th percentile).</summary>
    public double ThresholdPercentile { get; init; } = 0.5;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        Check(Z1 is >= 1 and <= 512, nameof(Z1), "1–512");
        Check(Z2 is >= 1 and <= 512, nameof(Z2), "1–512");
        Check(Hidden is >= 1 and <= 4096, nameof(Hidden), "1–4096");
        Check(Layers is >= 1 and <= 8, nameof(Layers), "1–8");
        Check(Beta is >= 0 and <= 1e6f, nameof(Beta), "0–1e6");
        Check(LearningRate is > 0 and < 1, nameof(LearningRate), "in (0, 1)");
        Check(LabeledBatch >= 1, nameof(LabeledBatch), "≥ 1");
        Check(UnlabeledBatch >= 1, nameof(UnlabeledBatch), "≥ 1");
        Check(Epochs >= 1, nameof(Epochs), "≥ 1");
        Check(WarmupEpochs >= 0, nameof(WarmupEpochs), "≥ 0");
        Check(Patience >= 0, nameof(Patience), "≥ 0");
        Check(ValidationFraction is >= 0 and < 1, nameof(ValidationFraction), "in [0, 1)");
        Check(LogVarMin < LogVarMax, nameof(LogVarMin), "below LogVarMax");
        Check(ClipNorm >= 0, nameof(ClipNorm), "≥ 0");
        Check(ThresholdPercentile is >= 0 and <= 100, nameof(ThresholdPercentile), "0–100");
    }

    private static void Check(bool ok, string name, string range)
    {
        if (!ok) throw new ArgumentException($"SDGM option {name} must be {range}.", name);
    }
}
