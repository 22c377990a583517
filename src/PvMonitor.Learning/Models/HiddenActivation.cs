namespace PvMonitor.Learning.Models;

/// <summary>Activation of hidden layers (the manifest stores the number).</summary>
public enum HiddenActivation
{
    /// <summary>No activation (identity).</summary>
    Identity = 0,

    /// <summary>max(x, 0) — the paper's choice and the default.</summary>
    Relu = 1,

    /// <summary>x, or 0.01·x for negative x.</summary>
    LeakyRelu = 2,

    /// <summary>tanh.</summary>
    Tanh = 3,
}
