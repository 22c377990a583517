using static TorchSharp.torch;

namespace PvMonitor.Learning.Torch;

/// <summary>The class sum every unlabeled bound shares, with y enumerated exactly instead of sampled.</summary>
internal static class Categorical
{
    /// <summary>
    /// Σ_y q(y|·)·f(y) + H(q(y|·)) per row: <paramref name="logQy"/> is log q(y|·) (B × K), <paramref name="perClass"/> f(x, y)
    /// per (row, class), rows b·K + k (B·K) or B × K.
    /// </summary>
    public static Tensor ExpectationPlusEntropy(Tensor logQy, Tensor perClass)
    {
        var qy = logQy.exp();
        var expected = (qy * perClass.view(logQy.shape[0], logQy.shape[1])).sum(1);
        return expected - (qy * logQy).sum(1);
    }
}
