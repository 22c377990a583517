namespace PvMonitor.Learning.Models.Classifiers;

/// <summary>
/// Hyperparameters of the supervised baselines of the PV paper: the MLP shaped like the SDGM's q(y|z1,x) (two hidden
/// layers of 50 ReLU units, dropout 0.5) and multinomial logistic regression (MLR, no hidden layer, L2 penalty).
/// </summary>
public sealed record ClassifierOptions
{
    /// <summary>Hidden layer sizes; empty = MLR. Default 50, 50.</summary>
    public IReadOnlyList<int> HiddenLayers { get; init; } = [50, 50];

    /// <summary>Dropout after each hidden layer (default 0.5).</summary>
    public float Dropout { get; init; } = 0.5f;

    /// <summary>L2 penalty added to the gradient as λ·θ (default 0; MLR uses 1e-4).</summary>
    public float L2 { get; init; }

    /// <summary>Adam learning rate (default 1e-3).</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Rows per step (default 100).</summary>
    public int Batch { get; init; } = 100;

    /// <summary>Maximum epochs (default 200).</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Stop after this many epochs without better validation accuracy (default 20; 0 = never).</summary>
    public int Patience { get; init; } = 20;

    /// <summary>Fraction of labeled rows held out for early stopping (default 0.1; needs ≥ 2 rows per class, else none).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>The paper's MLP baseline.</summary>
    public static ClassifierOptions Mlp { get; } = new();

    /// <summary>The paper's MLR baseline.</summary>
    public static ClassifierOptions Mlr { get; } = new() { HiddenLayers = [], Dropout = 0f, L2 = 1e-4f, LearningRate = 1e-2f };

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
        if (ValidationFraction is < 0 or >= 1) throw new ArgumentException("Classifier option ValidationFraction must be in [0, 1).", nameof(ValidationFraction));
    }
}
