namespace PvMonitor.Learning.Nn;

/// <summary>How a weight matrix (fan-in × fan-out) is initialised.</summary>
public enum WeightInit
{
    /// <summary>He/Kaiming normal: N(0, 2 / fanIn). For ReLU-family layers.</summary>
    HeNormal,

    /// <summary>He/Kaiming uniform: U(±√(6 / fanIn)). For ReLU-family layers.</summary>
    HeUniform,

    /// <summary>Xavier/Glorot normal: N(0, 2 / (fanIn + fanOut)). For tanh/sigmoid/linear layers.</summary>
    XavierNormal,

    /// <summary>Xavier/Glorot uniform: U(±√(6 / (fanIn + fanOut))).</summary>
    XavierUniform,

    /// <summary>All zeros.</summary>
    Zeros,
}
