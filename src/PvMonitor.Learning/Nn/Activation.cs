namespace PvMonitor.Learning.Nn;

/// <summary>Elementwise activation functions.</summary>
public enum Activation
{
    /// <summary>No activation (identity).</summary>
    Identity,

    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>x or 0.01·x for negative x.</summary>
    LeakyRelu,

    /// <summary>tanh.</summary>
    Tanh,

    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,

    /// <summary>log(1 + eˣ).</summary>
    Softplus,
}
