namespace PvMonitor.Learning.Models.Classifiers;

/// <summary>
/// Hyperparameters of the supervised baselines of the PV paper: the MLP shaped like the SDGM's q(y|z1,x) (two hidden
/// layers of 50 ReLU units) and multinomial logistic regression (MLR, no hidden layer, L2 penalty). The defaults are the
/// best measured (bench/training): dropout 0.1 and L2 10⁻⁴ for the MLP, early stopping on a smoothed validation accuracy;
/// <see cref="PaperMlp"/> and <see cref="PaperMlr"/> hold the paper's settings (dropout 0.5, raw accuracy, patience 20).
/// </summary>
public sealed record ClassifierOptions
{
    /// <summary>Hidden layer sizes; empty = MLR. Default 50, 50.</summary>
    public IReadOnlyList<int> HiddenLayers { get; init; } = [50, 50];

    /// <summary>Dropout after each hidden layer (default 0.1; the paper: 0.5).</summary>
    public float Dropout { get; init; } = 0.1f;

    /// <summary>L2 penalty added to the gradient as λ·θ (default 1e-4; the paper's MLP: 0).</summary>
    public float L2 { get; init; } = 1e-4f;

    /// <summary>Adam learning rate (default 1e-3).</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Rows per step (default 100).</summary>
    public int Batch { get; init; } = 100;

    /// <summary>Maximum epochs (default 200).</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Stop after this many epochs without a better smoothed validation accuracy (0 = never). Default null:
    /// scaled to the run by <see cref="Training.StoppingSchedule"/>.</summary>
    public int? Patience { get; init; }

    /// <summary>Never stop before this epoch. Default null: scaled to the run by <see cref="Training.StoppingSchedule"/>.</summary>
    public int? MinEpochs { get; init; }

    /// <summary>Weight of the newest epoch in the moving average of the validation accuracy (default 0.3; 1 = none).</summary>
    public double Smoothing { get; init; } = 0.3;

    /// <summary>Fraction of labeled rows held out for early stopping (default 0.1; needs ≥ 2 rows per class, else none).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>The MLP baseline with the default settings.</summary>
    public static ClassifierOptions Mlp { get; } = new();

    /// <summary>The paper's MLP baseline: dropout 0.5, no L2, early stopping on the raw validation accuracy, patience 20.</summary>
    public static ClassifierOptions PaperMlp { get; } = new() { Dropout = 0.5f, L2 = 0f, Patience = 20, MinEpochs = 0, Smoothing = 1.0 };

    /// <summary>The MLR baseline (learning rate 1e-2, L2 1e-4) with the default early stopping.</summary>
    public static ClassifierOptions Mlr { get; } = new() { HiddenLayers = [], Dropout = 0f, L2 = 1e-4f, LearningRate = 1e-2f };

    /// <summary>The paper's MLR baseline with the paper's early stopping.</summary>
    public static ClassifierOptions PaperMlr { get; } = Mlr with { Patience = 20, MinEpochs = 0, Smoothing = 1.0 };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (HiddenLayers.Any(h => h < 1)) throw new ArgumentException("Classifier hidden layer sizes must be ≥ 1.", nameof(HiddenLayers));
        if (Dropout is < 0 or >= 1) throw new ArgumentException("Classifier option Dropout must be in [0, 1).", nameof(Dropout));
        if (L2 < 0) throw new ArgumentException("Classifier option L2 must be ≥ 0.", nameof(L2));
        if (LearningRate is <= 0 or >= 1) throw new ArgumentException("Classifier option LearningRate must be in (0, 1).", nameof(LearningRate));
        if (Batch < 1) throw new ArgumentException("Classifier option Batch must be ≥ 1.", nameof(Batch));
        if (Epochs < 1) throw new ArgumentException("Classifier option Epochs must be ≥ 1.", nameof(Epochs));
        if (Patience < 0) throw new ArgumentException("Classifier option Patience must be ≥ 0.", nameof(Patience));
        if (MinEpochs < 0) throw new ArgumentException("Classifier option MinEpochs must be ≥ 0.", nameof(MinEpochs));
        if (Smoothing is not (> 0 and <= 1)) throw new ArgumentException("Classifier option Smoothing must be in (0, 1].", nameof(Smoothing));
        if (ValidationFraction is < 0 or >= 1) throw new ArgumentException("Classifier option ValidationFraction must be in [0, 1).", nameof(ValidationFraction));
    }
}
