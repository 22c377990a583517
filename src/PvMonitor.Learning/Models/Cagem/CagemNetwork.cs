using PvMonitor.Learning.Models.Latent;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Torch;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PvMonitor.Learning.Models.Cagem;

/// <summary>
/// The cluster-aware generative model of Maaløe, Fraccaro &amp; Winther (2017; thesis Appendix C, eq. 4.24–4.30, poster
/// seeds/000): y is a cluster that depends on the top latent in the generative model. Six registered networks (their names
/// are the state-dict prefixes), plus <c>prior</c> with the VampPrior:
/// <code>
/// generative  p(x, y, z1, z2) = p(x | y, z1) · p(z1 | y, z2) · p(y | z2) · p(z2)
///             p_x = p(x|y,z1), p_z1 = p(z1|y,z2), p_y = p(y|z2) = Cat(π(z2)), p(z2) = N(0, I) or the VampPrior
/// inference   q(y, z1, z2 | x) = q(z1 | x) · q(y | z1, x) · q(z2 | x, y, z1)
///             q_z1, q_y, q_z2 (with the skip connection from x to z2)
/// F(x, y)     = log p(x|y,z1) + w·[log p(z1|y,z2) − log q(z1|x) − KL(q(z2|x,y,z1) ‖ p(z2))] + log p(y|z2)
/// U(x)        = Σ_y q(y|z1,x)·F(x, y) + H(q(y|z1,x))                         (eq. 4.27; every row, labeled or not)
/// L(x, y)     = α·[log q(y | sg(z1), x) + log p̂(y | x)]                        (labeled rows: −α·(H_q + H_p))
/// p̂(y | x)    = Σ_ỹ q(ỹ | sg(z1), x) · p(y | sg(z2^ỹ)),  z2^ỹ ~ q(z2 | x, ỹ, z1)  (eq. 4.30, the cascade of classifiers)
/// </code>
/// sg = stop-gradient: as the paper prescribes, labels train only the classifiers' parameters (q_y and p_y), never the
/// distributions over z1, z2 and x. One sample of z1, one of z2 per class; w the KL warm-up weight; the z2 KL in closed
/// form with N(0, I), Monte-Carlo with the VampPrior. Sizes: z1 <see cref="SdgmOptions.Z1"/>, z2 <see cref="SdgmOptions.Z2"/>,
/// clusters = classes K. <c>forward</c> gives the logits of q(y|z1,x) at z1 = E[q(z1|x)], the model's classifier; trained
/// with no labels (α = 0), y is a learned cluster and these are its cluster probabilities (<see cref="ClusterLogits"/>), whose
/// order is arbitrary: measure purity against the true conditions rather than accuracy.
/// </summary>
public sealed class CagemNetwork : nn.Module<Tensor, Tensor>, IHierarchicalLatentNetwork
{
    private readonly GaussianNetwork q_z1;
    private readonly nn.Module<Tensor, Tensor> q_y;
    private readonly GaussianNetwork q_z2;
    private readonly nn.Module<Tensor, Tensor> p_y;
    private readonly GaussianNetwork p_z1;
    private readonly GaussianNetwork p_x;
    private readonly VampPrior? prior;

    /// <summary>Creates a network for <paramref name="features"/> inputs and <paramref name="classes"/> classes (clusters),
    /// its initial weights drawn from <paramref name="generator"/>.</summary>
    public CagemNetwork(int features, int classes, SdgmOptions options, Generator generator) : base(nameof(CagemNetwork))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, "At least one feature is needed.");
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "At least one class is needed.");
        Features = features;
        Classes = classes;
        Options = options;
        q_z1 = new GaussianNetwork(features, options.Z1, options, generator);
        q_y = LayerFactory.Stack(features + options.Z1, options.Hidden, options.Layers, options.Activation, classes, generator);
        q_z2 = new GaussianNetwork(features + options.Z1 + classes, options.Z2, options, generator);
        p_y = LayerFactory.Stack(options.Z2, options.Hidden, options.Layers, options.Activation, classes, generator);
        p_z1 = new GaussianNetwork(classes + options.Z2, options.Z1, options, generator);
        p_x = new GaussianNetwork(options.Z1 + classes, features, options, generator);
        if (options.Prior == LatentPrior.Vamp) prior = new VampPrior(options.PseudoInputCount, features, generator);
        RegisterComponents();
    }

    /// <summary>Input features d.</summary>
    public int Features { get; }

    /// <summary>Classes (clusters) K.</summary>
    public int Classes { get; }

    /// <summary>The hyperparameters.</summary>
    public SdgmOptions Options { get; }

    /// <summary>The VampPrior of z2, or null with the standard prior.</summary>
    public VampPrior? Prior => prior;

    /// <summary>Class logits of q(y|z1,x) at z1 = the mean of q(z1|x) (deterministic; B × K).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (m1, _) = q_z1.forward(x);
        return q_y.forward(cat([x, m1], 1)).MoveToOuterDisposeScope();
    }

    /// <summary>The cluster logits of q(y|z1,x) at z1 = E[q(z1|x)] (the same as <c>forward</c>): with no labels, which learned cluster a row falls in.</summary>
    public Tensor ClusterLogits(Tensor x) => forward(x);

    /// <summary>
    /// L(x, y) = α·[log q(y|sg(z1),x) + log p̂(y|x)] per row (the labeled rows' classification terms; their bound is in U,
    /// which the trainer takes over every row). One sample of z1 and of z2 per class. <paramref name="klWeight"/> is unused.
    /// </summary>
    public Tensor LabeledObjective(Tensor x, Tensor labels, double alpha, double klWeight, Generator generator)
    {
        using var scope = NewDisposeScope();
        var (m1, v1) = q_z1.forward(x);
        var z1 = Gaussian.Sample(m1, v1, generator).detach();
        var logQy = log_softmax(q_y.forward(cat([x, z1], 1)), 1);
        var logPy = GenerativeLogProbabilities(x, z1, logQy, generator, stopGradient: true);
        var index = labels.unsqueeze(1);
        var objective = (logQy.gather(1, index).squeeze(1) + logPy.gather(1, index).squeeze(1)).Times(alpha);
        return objective.MoveToOuterDisposeScope();
    }

    /// <summary>U(x) = Σ_y q(y|z1,x)·F(x, y) + H(q(y|z1,x)) per row (eq. 4.27), all K classes in one batched pass.</summary>
    public Tensor UnlabeledBound(Tensor x, double klWeight, Generator generator)
    {
        using var scope = NewDisposeScope();
        return UnlabeledParts(x, klWeight, generator).Bound.MoveToOuterDisposeScope();
    }

    internal UnlabeledResult UnlabeledParts(Tensor x, double klWeight, Generator generator)
    {
        var (m1, v1) = q_z1.forward(x);
        var z1 = Gaussian.Sample(m1, v1, generator);
        var logQz1 = Gaussian.LogDensity(z1, m1, v1);
        var logQy = log_softmax(q_y.forward(cat([x, z1], 1)), 1);
        var pass = EnumerateClasses(x, z1, generator);
        var kl2 = prior is null ? Gaussian.KlToStandard(pass.Z2Mean, pass.Z2LogVar) : Gaussian.LogDensity(pass.Z2, pass.Z2Mean, pass.Z2LogVar) - LogPriorZ2(pass.Z2);
        var fK = pass.LogPx + (pass.LogPz1 - kl2).Times(klWeight) + pass.LogPy;
        var bound = Categorical.ExpectationPlusEntropy(logQy, fK) - logQz1.Times(klWeight);
        return new UnlabeledResult(bound, pass.XK, pass.DecoderMean, pass.DecoderLogVar);
    }

    /// <summary>Per (row, class): log p(x|y,z1) + log p(z1|y,z2) + log p(y|z2) + log p(z2) − log q(z1|x) − log q(z2|x,y,z1) ((B·K)).</summary>
    internal Tensor ImportanceLogWeights(Tensor x, Generator generator)
    {
        using var scope = NewDisposeScope();
        var t = Terms(x, generator);
        var w = t.LogPx + t.LogPy;
        foreach (var level in t.Levels) w = w + level.LogP - level.LogQ;
        return w.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Every term of the bound for one sample per (row, class), rows b·K + k: z1 ~ q(z1|x) (or, with
    /// <paramref name="z1FromPrior"/>, z1 ~ p(z1|y,z2) after z2 ~ q(z2|x,y,z̃1) with z̃1 ~ q(z1|x): BIVA's L^{>1}), y
    /// enumerated, z2 ~ q(z2|x,y,z1).
    /// </summary>
    internal LatentTerms Terms(Tensor x, Generator generator, bool z1FromPrior = false)
    {
        int k = Classes;
        var (m1, v1) = q_z1.forward(x);
        var z1 = Gaussian.Sample(m1, v1, generator);
        var logQy = log_softmax(q_y.forward(cat([x, z1], 1)), 1).reshape(-1);
        var pass = EnumerateClasses(x, z1, generator);
        var z1K = z1.repeat_interleave(k, 0);
        var logPz1 = pass.LogPz1;
        var logPx = pass.LogPx;
        if (z1FromPrior)
        {
            var yK = eye(k, dtype: x.dtype, device: x.device).repeat(x.shape[0], 1);
            var (pm1, pv1) = p_z1.forward(cat([yK, pass.Z2], 1));
            z1K = Gaussian.Sample(pm1, pv1, generator);
            logPz1 = Gaussian.LogDensity(z1K, pm1, pv1);
            var (mx, vx) = p_x.forward(cat([z1K, yK], 1));
            logPx = Gaussian.LogDensity(pass.XK, mx, vx);
        }

        var levels = new[]
        {
            new LatentLevel("z1", z1K, Gaussian.LogDensity(z1K, m1.repeat_interleave(k, 0), v1.repeat_interleave(k, 0)), logPz1),
            new LatentLevel("z2", pass.Z2, Gaussian.LogDensity(pass.Z2, pass.Z2Mean, pass.Z2LogVar), LogPriorZ2(pass.Z2)),
        };
        return new LatentTerms(levels, logPx, pass.LogPy, logQy);
    }

    /// <summary>
    /// log p̂(y|x) (B × K): the generative classifier Σ_ỹ q(ỹ|z1,x)·p(y|z2^ỹ), z2^ỹ ~ q(z2|x,ỹ,z1), for a given z1 sample and
    /// log q(ỹ|z1,x); with <paramref name="stopGradient"/> the z2 samples are detached.
    /// </summary>
    internal Tensor GenerativeLogProbabilities(Tensor x, Tensor z1, Tensor logQy, Generator generator, bool stopGradient)
    {
        long b = x.shape[0];
        int k = Classes;
        var xK = x.repeat_interleave(k, 0);
        var z1K = z1.repeat_interleave(k, 0);
        var yK = eye(k, dtype: x.dtype, device: x.device).repeat(b, 1);
        var (m2, v2) = q_z2.forward(cat([xK, z1K, yK], 1));
        var z2 = Gaussian.Sample(m2, v2, generator);
        if (stopGradient) z2 = z2.detach();
        var logPyGivenZ2 = log_softmax(p_y.forward(z2), 1).view(b, k, k); // [row, ỹ, y]
        return (logPyGivenZ2 + logQy.unsqueeze(2)).logsumexp(1);
    }

    /// <summary>log q(y | x̂) for <paramref name="perClass"/> rows per class: z2 ~ p(z2), z1 ~ p(z1|y,z2), x̂ = E[p(x|y,z1)].</summary>
    internal Tensor ConsistencyLogLikelihood(int perClass, Generator generator)
    {
        int k = Classes;
        long n = (long)k * perClass;
        var device = p_x.parameters().First().device;
        var labels = ScalarOps.Range(k, device).repeat_interleave(perClass);
        var y = one_hot(labels, k).to_type(float32);
        var z2 = prior is null
            ? randn(new long[] { n, Options.Z2 }, dtype: float32, device: device, generator: generator)
            : prior.Components(q_z1, q_y, q_z2, k).Sample(n, generator);
        var (pm1, pv1) = p_z1.forward(cat([y, z2], 1));
        var z1 = Gaussian.Sample(pm1, pv1, generator);
        var xHat = p_x.forward(cat([z1, y], 1)).Mean;
        return log_softmax(forward(xHat), 1).gather(1, labels.unsqueeze(1)).squeeze(1);
    }

    /// <summary>log p(z2) per row: N(0, I) or the VampPrior.</summary>
    private Tensor LogPriorZ2(Tensor z2) =>
        prior is null ? Gaussian.StandardLogDensity(z2) : prior.Components(q_z1, q_y, q_z2, Classes).LogDensity(z2);

    /// <summary>Each row of x and z1 repeated K times with y = one-hot(k): z2 ~ q(z2|x,y,z1), log p(y|z2), log p(z1|y,z2), log p(x|y,z1).</summary>
    private ClassPass EnumerateClasses(Tensor x, Tensor z1, Generator generator)
    {
        long b = x.shape[0];
        int k = Classes;
        var xK = x.repeat_interleave(k, 0);
        var z1K = z1.repeat_interleave(k, 0);
        var labels = ScalarOps.Range(k, x.device).repeat(b);
        var yK = one_hot(labels, k).to_type(x.dtype);
        var (m2, v2) = q_z2.forward(cat([xK, z1K, yK], 1));
        var z2 = Gaussian.Sample(m2, v2, generator);
        var logPy = log_softmax(p_y.forward(z2), 1).gather(1, labels.unsqueeze(1)).squeeze(1);
        var (pm1, pv1) = p_z1.forward(cat([yK, z2], 1));
        var (mx, vx) = p_x.forward(cat([z1K, yK], 1));
        return new ClassPass(xK, m2, v2, z2, logPy, Gaussian.LogDensity(z1K, pm1, pv1), mx, vx, Gaussian.LogDensity(xK, mx, vx));
    }

    private readonly record struct ClassPass(Tensor XK, Tensor Z2Mean, Tensor Z2LogVar, Tensor Z2, Tensor LogPy, Tensor LogPz1,
        Tensor DecoderMean, Tensor DecoderLogVar, Tensor LogPx);

    nn.Module<Tensor, Tensor> ILatentNetwork.Module => this;

    Tensor ILatentNetwork.ClassifierLogits(Tensor x) => forward(x);

    UnlabeledResult ILatentNetwork.UnlabeledParts(Tensor x, double klWeight, Generator generator) => UnlabeledParts(x, klWeight, generator);

    Tensor ILatentNetwork.ImportanceLogWeights(Tensor x, Generator generator) => ImportanceLogWeights(x, generator);

    Tensor ILatentNetwork.ConsistencyLogLikelihood(int perClass, Generator generator) => ConsistencyLogLikelihood(perClass, generator);

    LatentTerms IHierarchicalLatentNetwork.Terms(Tensor x, Generator generator, bool z1FromPrior) => Terms(x, generator, z1FromPrior);
}
