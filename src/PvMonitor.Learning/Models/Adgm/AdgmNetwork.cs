using PvMonitor.Learning.Models.Latent;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Torch;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PvMonitor.Learning.Models.Adgm;

/// <summary>
/// The auxiliary deep generative model of Maaløe et al. (2016; thesis Appendix A), as five registered networks (their
/// names are the state-dict prefixes):
/// <list type="bullet">
/// <item>inference: <c>q_a</c> = q(a|x), <c>q_y</c> = q(y|a,x), <c>q_z</c> = q(z|a,y,x)</item>
/// <item>generative: <c>p_x</c> = p(x|z,y), <c>p_a</c> = p(a|x,y,z); p(y) = 1/K, p(z) = N(0, I)</item>
/// </list>
/// The auxiliary a (size <see cref="SdgmOptions.Z1"/>) only makes the inference model richer: the generative model
/// produces x from z (size <see cref="SdgmOptions.Z2"/>) and y alone and then explains a given x, y, z — unlike the SDGM,
/// where a = z1 feeds p(x|·). Per row, in nats, one sample of a and of z:
/// <code>
/// F(x, y) = log p(x|z,y) + w·[log p(a|x,y,z) − log q(a|x) − KL(q(z|a,y,x) ‖ p(z))] + log p(y)
/// L(x, y) = F(x, y) + α·log q(y|a,x)
/// U(x)    = Σ_y q(y|a,x)·F(x, y) + H(q(y|a,x))
/// </code>
/// (w the KL warm-up weight, the z KL in closed form). <c>forward</c> gives the logits of q(y|a,x) at a = E[q(a|x)].
/// </summary>
public sealed class AdgmNetwork : nn.Module<Tensor, Tensor>, ILatentNetwork
{
    private readonly GaussianNetwork q_a;
    private readonly nn.Module<Tensor, Tensor> q_y;
    private readonly GaussianNetwork q_z;
    private readonly GaussianNetwork p_x;
    private readonly GaussianNetwork p_a;
    private readonly double _logPy;

    /// <summary>Creates a network for <paramref name="features"/> inputs and <paramref name="classes"/> classes, its
    /// initial weights drawn from <paramref name="generator"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options, or the VampPrior (adgm has the standard prior only).</exception>
    public AdgmNetwork(int features, int classes, SdgmOptions options, Generator generator) : base(nameof(AdgmNetwork))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, "At least one feature is needed.");
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "At least one class is needed.");
        if (options.Prior != LatentPrior.Standard) throw new ArgumentException("The adgm model has the standard prior only (the VampPrior is for sdgm and cagem).", nameof(options));
        Features = features;
        Classes = classes;
        Options = options;
        q_a = new GaussianNetwork(features, options.Z1, options, generator);
        q_y = LayerFactory.Stack(features + options.Z1, options.Hidden, options.Layers, options.Activation, classes, generator);
        q_z = new GaussianNetwork(features + options.Z1 + classes, options.Z2, options, generator);
        p_x = new GaussianNetwork(options.Z2 + classes, features, options, generator);
        p_a = new GaussianNetwork(features + options.Z2 + classes, options.Z1, options, generator);
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

    /// <summary>Class logits of q(y|a,x) at a = the mean of q(a|x) (deterministic; B × K).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (ma, _) = q_a.forward(x);
        return q_y.forward(cat([x, ma], 1)).MoveToOuterDisposeScope();
    }

    /// <summary>L(x, y) = F(x, y) + α·log q(y|a,x) per row, one sample of a and z. <paramref name="labels"/>: class indices (int64, B).</summary>
    public Tensor LabeledObjective(Tensor x, Tensor labels, double alpha, double klWeight, Generator generator)
    {
        using var scope = NewDisposeScope();
        var (ma, va) = q_a.forward(x);
        var a = Gaussian.Sample(ma, va, generator);
        var logQa = Gaussian.LogDensity(a, ma, va);
        var logQy = log_softmax(q_y.forward(cat([x, a], 1)), 1).gather(1, labels.unsqueeze(1)).squeeze(1);
        var y = one_hot(labels, Classes).to_type(x.dtype);
        var pass = Pass(x, a, y, generator);
        var f = (pass.LogPx + (pass.LogPa - logQa - Gaussian.KlToStandard(pass.ZMean, pass.ZLogVar)).Times(klWeight)).Plus(_logPy);
        return (f + logQy.Times(alpha)).MoveToOuterDisposeScope();
    }

    /// <summary>U(x) = Σ_y q(y|a,x)·F(x, y) + H(q(y|a,x)) per row, all K classes in one batched pass (one a, one z per class).</summary>
    public Tensor UnlabeledBound(Tensor x, double klWeight, Generator generator)
    {
        using var scope = NewDisposeScope();
        return UnlabeledParts(x, klWeight, generator).Bound.MoveToOuterDisposeScope();
    }

    internal UnlabeledResult UnlabeledParts(Tensor x, double klWeight, Generator generator)
    {
        long b = x.shape[0];
        int k = Classes;
        var (ma, va) = q_a.forward(x);
        var a = Gaussian.Sample(ma, va, generator);
        var logQa = Gaussian.LogDensity(a, ma, va);
        var logQy = log_softmax(q_y.forward(cat([x, a], 1)), 1);
        var xK = x.repeat_interleave(k, 0);
        var yK = eye(k, dtype: x.dtype, device: x.device).repeat(b, 1);
        var pass = Pass(xK, a.repeat_interleave(k, 0), yK, generator);
        var fK = (pass.LogPx + (pass.LogPa - Gaussian.KlToStandard(pass.ZMean, pass.ZLogVar)).Times(klWeight)).Plus(_logPy);
        var bound = Categorical.ExpectationPlusEntropy(logQy, fK) - logQa.Times(klWeight);
        return new UnlabeledResult(bound, xK, pass.DecoderMean, pass.DecoderLogVar);
    }

    /// <summary>Per (row, class): log p(x|z,y) + log p(a|x,y,z) + log p(z) + log p(y) − log q(a|x) − log q(z|a,y,x) ((B·K)).</summary>
    internal Tensor ImportanceLogWeights(Tensor x, Generator generator)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0];
        int k = Classes;
        var (ma, va) = q_a.forward(x);
        var a = Gaussian.Sample(ma, va, generator);
        var logQa = Gaussian.LogDensity(a, ma, va);
        var xK = x.repeat_interleave(k, 0);
        var yK = eye(k, dtype: x.dtype, device: x.device).repeat(b, 1);
        var pass = Pass(xK, a.repeat_interleave(k, 0), yK, generator);
        var w = (pass.LogPx + pass.LogPa + Gaussian.StandardLogDensity(pass.Z) - Gaussian.LogDensity(pass.Z, pass.ZMean, pass.ZLogVar)).Plus(_logPy)
            - logQa.repeat_interleave(k, 0);
        return w.MoveToOuterDisposeScope();
    }

    /// <summary>log q(y | x̂) for <paramref name="perClass"/> rows per class, z ~ N(0, I), x̂ = E[p(x|z,y)] (a is not needed to generate).</summary>
    internal Tensor ConsistencyLogLikelihood(int perClass, Generator generator)
    {
        int k = Classes;
        var device = p_x.parameters().First().device;
        var labels = ScalarOps.Range(k, device).repeat_interleave(perClass);
        var y = one_hot(labels, k).to_type(float32);
        var z = randn(new long[] { (long)k * perClass, Options.Z2 }, dtype: float32, device: device, generator: generator);
        var xHat = p_x.forward(cat([z, y], 1)).Mean;
        return log_softmax(forward(xHat), 1).gather(1, labels.unsqueeze(1)).squeeze(1);
    }

    /// <summary>z ~ q(z|a,y,x), then log p(x|z,y) and log p(a|x,y,z).</summary>
    private AdgmPass Pass(Tensor x, Tensor a, Tensor y, Generator generator)
    {
        var (mz, vz) = q_z.forward(cat([x, a, y], 1));
        var z = Gaussian.Sample(mz, vz, generator);
        var (mx, vx) = p_x.forward(cat([z, y], 1));
        var (pma, pva) = p_a.forward(cat([x, z, y], 1));
        return new AdgmPass(z, mz, vz, Gaussian.LogDensity(x, mx, vx), Gaussian.LogDensity(a, pma, pva), mx, vx);
    }

    private readonly record struct AdgmPass(Tensor Z, Tensor ZMean, Tensor ZLogVar, Tensor LogPx, Tensor LogPa, Tensor DecoderMean, Tensor DecoderLogVar);

    nn.Module<Tensor, Tensor> ILatentNetwork.Module => this;

    Tensor ILatentNetwork.ClassifierLogits(Tensor x) => forward(x);

    UnlabeledResult ILatentNetwork.UnlabeledParts(Tensor x, double klWeight, Generator generator) => UnlabeledParts(x, klWeight, generator);

    Tensor ILatentNetwork.ImportanceLogWeights(Tensor x, Generator generator) => ImportanceLogWeights(x, generator);

    Tensor ILatentNetwork.ConsistencyLogLikelihood(int perClass, Generator generator) => ConsistencyLogLikelihood(perClass, generator);
}
