using PvMonitor.Learning.Models.Latent;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Torch;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PvMonitor.Learning.Models.M2;

/// <summary>
/// Kingma et al.'s (2014) M2 semi-supervised VAE, as three registered networks (their names are the state-dict prefixes):
/// <list type="bullet">
/// <item>inference: <c>q_y</c> = q(y|x) (categorical), <c>q_z</c> = q(z|x,y)</item>
/// <item>generative: <c>p_x</c> = p(x|y,z); p(y) = 1/K, p(z) = N(0, I)</item>
/// </list>
/// with z of size <see cref="SdgmOptions.Z2"/> (<see cref="SdgmOptions.Z1"/> is unused). Per row, in nats:
/// <code>
/// F(x, y) = E_q(z|x,y)[log p(x|y,z)] − w·KL(q(z|x,y) ‖ p(z)) + log p(y)
/// L(x, y) = F(x, y) + α·log q(y|x)
/// U(x)    = Σ_y q(y|x)·F(x, y) + H(q(y|x))
/// </code>
/// (KL in closed form, one sample of z, w the KL warm-up weight). <c>forward</c> gives the logits of q(y|x).
/// </summary>
public sealed class M2Network : nn.Module<Tensor, Tensor>, ILatentNetwork
{
    private readonly nn.Module<Tensor, Tensor> q_y;
    private readonly GaussianNetwork q_z;
    private readonly GaussianNetwork p_x;
    private readonly double _logPy;

    /// <summary>Creates a network for <paramref name="features"/> inputs and <paramref name="classes"/> classes, its
    /// initial weights drawn from <paramref name="generator"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options, or the VampPrior (m2 has the standard prior only).</exception>
    public M2Network(int features, int classes, SdgmOptions options, Generator generator) : base(nameof(M2Network))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, "At least one feature is needed.");
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "At least one class is needed.");
        if (options.Prior != LatentPrior.Standard) throw new ArgumentException("The m2 model has the standard prior only (the VampPrior is for sdgm and cagem).", nameof(options));
        Features = features;
        Classes = classes;
        Options = options;
        q_y = LayerFactory.Stack(features, options.Hidden, options.Layers, options.Activation, classes, generator);
        q_z = new GaussianNetwork(features + classes, options.Z2, options, generator);
        p_x = new GaussianNetwork(options.Z2 + classes, features, options, generator);
        _logPy = -Math.Log(classes);
        RegisterComponents();
    }

    /// <summary>Input features d.</summary>
    public int Features { get; }

    /// <summary>Classes K.</summary>
    public int Classes { get; }

    /// <summary>The hyperparameters.</summary>
    public SdgmOptions Options { get; }

    VampPrior? ILatentNetwork.Prior => null;

    /// <summary>Class logits of q(y|x) (B × K).</summary>
    public override Tensor forward(Tensor x) => q_y.forward(x);

    /// <summary>L(x, y) = F(x, y) + α·log q(y|x) per row, one sample of z. <paramref name="labels"/>: class indices (int64, B).</summary>
    public Tensor LabeledObjective(Tensor x, Tensor labels, double alpha, double klWeight, Generator generator)
    {
        using var scope = NewDisposeScope();
        var logQy = log_softmax(q_y.forward(x), 1).gather(1, labels.unsqueeze(1)).squeeze(1);
        var y = one_hot(labels, Classes).to_type(x.dtype);
        var (logPx, kl, _, _, _, _, _) = Pass(x, y, generator);
        return (logPx - kl.Times(klWeight) + logQy.Times(alpha)).Plus(_logPy).MoveToOuterDisposeScope();
    }

    /// <summary>U(x) = Σ_y q(y|x)·F(x, y) + H(q(y|x)) per row, all K classes in one batched pass.</summary>
    public Tensor UnlabeledBound(Tensor x, double klWeight, Generator generator)
    {
        using var scope = NewDisposeScope();
        return UnlabeledParts(x, klWeight, generator).Bound.MoveToOuterDisposeScope();
    }

    internal UnlabeledResult UnlabeledParts(Tensor x, double klWeight, Generator generator)
    {
        long b = x.shape[0];
        int k = Classes;
        var logQy = log_softmax(q_y.forward(x), 1);
        var xK = x.repeat_interleave(k, 0);
        var yK = eye(k, dtype: x.dtype, device: x.device).repeat(b, 1);
        var (logPx, kl, _, _, _, mx, vx) = Pass(xK, yK, generator);
        var fK = (logPx - kl.Times(klWeight)).Plus(_logPy);
        var bound = Categorical.ExpectationPlusEntropy(logQy, fK);
        return new UnlabeledResult(bound, xK, mx, vx);
    }

    /// <summary>Per (row, class): log p(x|y,z) + log p(z) − log q(z|x,y) + log p(y), one sample of z ((B·K)).</summary>
    internal Tensor ImportanceLogWeights(Tensor x, Generator generator)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0];
        int k = Classes;
        var xK = x.repeat_interleave(k, 0);
        var yK = eye(k, dtype: x.dtype, device: x.device).repeat(b, 1);
        var (logPx, _, z, mz, vz, _, _) = Pass(xK, yK, generator);
        var w = (logPx + Gaussian.StandardLogDensity(z) - Gaussian.LogDensity(z, mz, vz)).Plus(_logPy);
        return w.MoveToOuterDisposeScope();
    }

    /// <summary>log q(y | x̂) for <paramref name="perClass"/> rows per class, z ~ N(0, I), x̂ = E[p(x|y,z)].</summary>
    internal Tensor ConsistencyLogLikelihood(int perClass, Generator generator)
    {
        int k = Classes;
        var device = p_x.parameters().First().device;
        var labels = ScalarOps.Range(k, device).repeat_interleave(perClass);
        var y = one_hot(labels, k).to_type(float32);
        var z = randn(new long[] { (long)k * perClass, Options.Z2 }, dtype: float32, device: device, generator: generator);
        var xHat = p_x.forward(cat([z, y], 1)).Mean;
        return log_softmax(q_y.forward(xHat), 1).gather(1, labels.unsqueeze(1)).squeeze(1);
    }

    /// <summary>z ~ q(z|x,y), log p(x|y,z) and KL(q(z|x,y) ‖ N(0, I)); returns also z, q's parameters and the decoder's.</summary>
    private (Tensor LogPx, Tensor Kl, Tensor Z, Tensor ZMean, Tensor ZLogVar, Tensor DecoderMean, Tensor DecoderLogVar) Pass(Tensor x, Tensor y, Generator generator)
    {
        var (mz, vz) = q_z.forward(cat([x, y], 1));
        var z = Gaussian.Sample(mz, vz, generator);
        var (mx, vx) = p_x.forward(cat([z, y], 1));
        return (Gaussian.LogDensity(x, mx, vx), Gaussian.KlToStandard(mz, vz), z, mz, vz, mx, vx);
    }

    nn.Module<Tensor, Tensor> ILatentNetwork.Module => this;

    Tensor ILatentNetwork.ClassifierLogits(Tensor x) => forward(x);

    UnlabeledResult ILatentNetwork.UnlabeledParts(Tensor x, double klWeight, Generator generator) => UnlabeledParts(x, klWeight, generator);

    Tensor ILatentNetwork.ImportanceLogWeights(Tensor x, Generator generator) => ImportanceLogWeights(x, generator);

    Tensor ILatentNetwork.ConsistencyLogLikelihood(int perClass, Generator generator) => ConsistencyLogLikelihood(perClass, generator);
}
