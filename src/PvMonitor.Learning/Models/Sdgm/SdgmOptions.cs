namespace PvMonitor.Learning.Models.Sdgm;

/// <summary>
/// Hyperparameters of the Skip Deep Generative Model. The networks follow the PV paper (Maaløe et al. 2018, Appendix D):
/// two hidden layers of 50 ReLU units per network. The training defaults are the ones measured best across the simulator
/// and real data (bench/training, models/default/MODEL_CARD.md): Adam with learning rate 10⁻³, β = 20 with
/// α = β·(N_l + N_u)/N_l, a linear KL warm-up, and early stopping on a smoothed validation score with a minimum run and a
/// patience scaled to the number of optimizer steps per epoch. <see cref="Paper"/> holds the paper's settings.
/// The same record configures every latent kind (<see cref="ModelKinds"/>): <see cref="Z1"/> is the latent that does not
/// depend on y in inference (sdgm and cagem z1, adgm's auxiliary a; unused by m2) and <see cref="Z2"/> the one inferred
/// given y (sdgm and cagem z2, m2's and adgm's z).
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

    /// <summary>β in α = β·(N_l + N_u)/N_l, the weight of the classification term (default 20; the paper: 0.1).</summary>
    public float Beta { get; init; } = 20f;

    /// <summary>Adam learning rate (default 1e-3; the paper: 3e-4).</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Labeled rows per step (default 100).</summary>
    public int LabeledBatch { get; init; } = 100;

    /// <summary>
    /// Draw labelled batches evenly over the classes (each class's rows cycled up to the largest class's count) instead of
    /// uniformly over rows, so a class with few labels is seen as often as the others. Default false (the paper's uniform
    /// draw); retraining turns it on, where a new condition has far fewer labelled rows than the snapshot's classes.
    /// </summary>
    public bool BalancedLabels { get; init; }

    /// <summary>Unlabeled rows per step, each evaluated for all K classes (default 100).</summary>
    public int UnlabeledBatch { get; init; } = 100;

    /// <summary>Maximum epochs; an epoch is one pass over all training rows as unlabeled data (default 200).</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Epochs over which the KL terms' weight rises linearly from 0 to 1 (default 10; 0 = no warm-up).</summary>
    public int WarmupEpochs { get; init; } = 10;

    /// <summary>Stop after this many epochs without a better smoothed validation score (0 = never stop early). Default
    /// null: <see cref="Training.StoppingSchedule"/> scales it to the run (about 2,000 optimizer steps, at least 5 epochs).</summary>
    public int? Patience { get; init; }

    /// <summary>Never stop before this epoch. Default null: about 3,000 optimizer steps, at least 10 epochs
    /// (<see cref="Training.StoppingSchedule"/>).</summary>
    public int? MinEpochs { get; init; }

    /// <summary>Weight of the newest epoch in the exponential moving average of the validation score that selects the
    /// best epoch (default 0.3; 1 = no smoothing, the paper's raw validation accuracy).</summary>
    public double Smoothing { get; init; } = 0.3;

    /// <summary>Fraction of labeled rows held out for early stopping and model selection (default 0.1).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Lower bound of every log-variance, nats (default −8). Keeps densities bounded.</summary>
    public float LogVarMin { get; init; } = -8f;

    /// <summary>Upper bound of every log-variance, nats (default 4).</summary>
    public float LogVarMax { get; init; } = 4f;

    /// <summary>Gradient clipping by global norm (default 10; 0 = off).</summary>
    public float ClipNorm { get; init; } = 10f;

    /// <summary>Prior of the top latent z2 (sdgm, cagem): <see cref="LatentPrior.Standard"/> N(0, I) (default) or
    /// <see cref="LatentPrior.Vamp"/>, the VampPrior over <see cref="PseudoInputs"/> learnable pseudo-inputs.</summary>
    public LatentPrior Prior { get; init; } = LatentPrior.Standard;

    /// <summary>Pseudo-inputs K of the VampPrior (1–10000); null (default) = <see cref="DefaultPseudoInputs"/> when
    /// <see cref="Prior"/> is <see cref="LatentPrior.Vamp"/>. Must stay null with the standard prior.</summary>
    public int? PseudoInputs { get; init; }

    /// <summary>Weight of the inverted-VAE consistency term E[log q(y | x̂)], x̂ the decoder's mean for z drawn from the
    /// prior and each class y (poster "Inverting VAEs"); default 0 = off. 0–1e6.</summary>
    public double Consistency { get; init; }

    /// <summary>Pseudo-inputs used when <see cref="PseudoInputs"/> is not given (100).</summary>
    public const int DefaultPseudoInputs = 100;

    /// <summary>The number of pseudo-inputs the network holds: 0 with the standard prior.</summary>
    public int PseudoInputCount => Prior == LatentPrior.Vamp ? PseudoInputs ?? DefaultPseudoInputs : 0;

    /// <summary>Percentile of training ELBOs used as the anomaly threshold (default 0.5, i.e. the 0.5th percentile).</summary>
    public double ThresholdPercentile { get; init; } = 0.5;

    /// <summary>The PV paper's training settings (Appendix D): Adam 3·10⁻⁴, β = 0.1, warm-up 10 epochs, early stopping on
    /// the raw validation accuracy with a patience of 20 epochs and no minimum run.</summary>
    public static SdgmOptions Paper { get; } = new()
    {
        LearningRate = 3e-4f, Beta = 0.1f, WarmupEpochs = 10, Patience = 20, MinEpochs = 0, Smoothing = 1.0,
    };

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
        Check(Patience is null or >= 0, nameof(Patience), "≥ 0");
        Check(MinEpochs is null or >= 0, nameof(MinEpochs), "≥ 0");
        Check(Smoothing is > 0 and <= 1, nameof(Smoothing), "in (0, 1]");
        Check(ValidationFraction is >= 0 and < 1, nameof(ValidationFraction), "in [0, 1)");
        Check(LogVarMin < LogVarMax, nameof(LogVarMin), "below LogVarMax");
        Check(ClipNorm >= 0, nameof(ClipNorm), "≥ 0");
        Check(ThresholdPercentile is >= 0 and <= 100, nameof(ThresholdPercentile), "0–100");
        Check(Enum.IsDefined(Prior), nameof(Prior), "Standard or Vamp");
        Check(PseudoInputs is null || (Prior == LatentPrior.Vamp && PseudoInputs is >= 1 and <= 10_000), nameof(PseudoInputs), "1–10000, with the Vamp prior only");
        Check(double.IsFinite(Consistency) && Consistency is >= 0 and <= 1e6, nameof(Consistency), "0–1e6");
    }

    private static void Check(bool ok, string name, string range)
    {
        if (!ok) throw new ArgumentException($"SDGM option {name} must be {range}.", name);
    }
}
