namespace PvMonitor.Learning.Experiments;

/// <summary>Settings of the PV paper's three experiments (Appendix D: Table III, Fig. 7, Fig. 8).</summary>
public sealed record PaperExperimentOptions
{
    /// <summary>Monte-Carlo cross-validation splits (80/20) for Table III (default 5, as in the paper).</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Repeats per label budget for Fig. 7 (default 10, as in the paper).</summary>
    public int Repeats { get; init; } = 10;

    /// <summary>Total label budgets for Fig. 7, spread evenly over the classes (default 100, 300, …, 1500).</summary>
    public IReadOnlyList<int> LabelBudgets { get; init; } = [100, 300, 500, 700, 900, 1100, 1300, 1500];

    /// <summary>Classes added one at a time in Fig. 8, in Table II order (default: the first 6 of the class order).</summary>
    public int ProgressiveSteps { get; init; } = 6;

    /// <summary>Labeled rows per included class in Fig. 8 (default 500).</summary>
    public int ProgressiveLabels { get; init; } = 500;

    /// <summary>Maximum SDGM epochs per training run (default 100).</summary>
    public int SdgmEpochs { get; init; } = 100;

    /// <summary>SDGM learning rate used by the experiments (default 1e-3; see the model card for why).</summary>
    public float SdgmLearningRate { get; init; } = 1e-3f;

    /// <summary>SDGM β (α = β·(N_l + N_u)/N_l) used by the experiments (default 1; the library default is the paper's 0.1 — see the model card).</summary>
    public float SdgmBeta { get; init; } = 1f;

    /// <summary>Maximum MLP/MLR epochs per training run (default 200).</summary>
    public int BaselineEpochs { get; init; } = 200;

    /// <summary>Seed of every split, subsample and model.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Where every model trains and scores (null = CPU).</summary>
    public TorchSharp.torch.Device? Device { get; init; }

    /// <summary>Which parts to run (default all three).</summary>
    public bool RunTable3 { get; init; } = true;

    /// <summary>Run the label-budget experiment (Fig. 7).</summary>
    public bool RunFigure7 { get; init; } = true;

    /// <summary>Run the progressive-classes experiment (Fig. 8).</summary>
    public bool RunFigure8 { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Folds < 1) throw new ArgumentException("Folds must be ≥ 1.", nameof(Folds));
        if (Repeats < 1) throw new ArgumentException("Repeats must be ≥ 1.", nameof(Repeats));
        if (LabelBudgets.Count == 0 || LabelBudgets.Any(b => b < 1)) throw new ArgumentException("LabelBudgets must be positive.", nameof(LabelBudgets));
        if (ProgressiveSteps < 1) throw new ArgumentException("ProgressiveSteps must be ≥ 1.", nameof(ProgressiveSteps));
        if (ProgressiveLabels < 1) throw new ArgumentException("ProgressiveLabels must be ≥ 1.", nameof(ProgressiveLabels));
        if (SdgmEpochs < 1 || BaselineEpochs < 1) throw new ArgumentException("Epochs must be ≥ 1.", nameof(SdgmEpochs));
    }
}
