using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Latent;
using PvMonitor.Learning.Torch;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PvMonitor.Learning.Models.Sdgm;

/// <summary>
/// The Skip Deep Generative Model of Maaløe et al. as used for PV condition monitoring (Appendix D, eq. 4–8), as five
/// registered networks (their names are the state-dict prefixes):
/// <list type="bullet">
/// <item>inference: <c>q_z1</c> = q(z1|x), <c>q_y</c> = q(y|z1,x), <c>q_z2</c> = q(z2|z1,y,x)</item>
/// <item>generative: <c>p_z1</c> = p(z1|y,z2), <c>p_x</c> = p(x|z1,z2,y); p(y) uniform, p(z2) = N(0, I)</item>
/// </list>
/// Gaussians are diagonal with bounded log-variance; every network has <see cref="SdgmOptions.Layers"/> hidden layers of
/// <see cref="SdgmOptions.Hidden"/> units. All bounds are per row, in nats, on standardised inputs. <c>forward</c> gives
/// the class logits of q(y|z1,x) at z1 = E[q(z1|x)], which is how the model classifies.
/// With <see cref="SdgmOptions.Prior"/> = <see cref="LatentPrior.Vamp"/> a sixth module, <c>prior</c>
/// (<see cref="VampPrior"/>, state-dict entry <c>prior.pseudo_inputs</c>), replaces p(z2) = N(0, I) by
/// (1/K) Σ_k Σ_y q(y|z̄1_k,u_k) q(z2|z̄1_k,y,u_k), and the z2 KL term becomes Monte-Carlo (log q − log p at the sample).
/// </summary>
public sealed partial class SdgmNetwork : nn.Module<Tensor, Tensor>, IHierarchicalLatentNetwork
{
    private readonly GaussianNetwork q_z1;
    private readonly nn.Module<Tensor, Tensor> q_y;
    private readonly GaussianNetwork q_z2;
    private readonly GaussianNetwork p_z1;
    private readonly GaussianNetwork p_x;
    private readonly VampPrior? prior;
    private readonly double _logPy;

    /// <summary>Creates a network for <paramref name="features"/> inputs and <paramref name="classes"/> classes, its
    /// initial weights drawn from <paramref name="generator"/> (a CPU generator; move the network with <c>to(device)</c>).</summary>
    public SdgmNetwork(int features, int classes, SdgmOptions options, Generator generator) : base(nameof(SdgmNetwork))
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
        p_z1 = new GaussianNetwork(classes + options.Z2, options.Z1, options, generator);
        p_x = new GaussianNetwork(options.Z1 + options.Z2 + classes, features, options, generator);
        if (options.Prior == LatentPrior.Vamp) prior = new VampPrior(options.PseudoInputCount, features, generator);
        _logPy = -Math.Log(classes);
        RegisterComponents();
    }

    /// <summary>Input features d.</summary>
    public int Features { get; }

    /// <summary>Classes K.</summary>
    public int Classes { get; }

    /// <summary>The hyperparameters.</summary>
    public SdgmOptions Options { get; }

    /// <summary>The VampPrior of z2, or null with the standard prior.</summary>
    public VampPrior? Prior => prior;

    /// <summary>
    /// Copies the weights of <paramref name="parent"/> (same features and architecture, its classes the first
    /// <c>parent.Classes</c> of this network's, in the same order) so that training continues from what it learned; the
    /// weights that touch only the added classes (their one-hot inputs to q(z2|z1,y,x), p(z1|y,z2), p(x|z1,z2,y) and their
    /// outputs of q(y|z1,x)) keep their fresh initialisation.
    /// </summary>
    /// <exception cref="ArgumentException">The networks differ in features, architecture, or the parent has more classes.</exception>
    public void InitialiseFrom(SdgmNetwork parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (parent.Features != Features || parent.Classes > Classes || parent.Options.Z1 != Options.Z1 || parent.Options.Z2 != Options.Z2
            || parent.Options.PseudoInputCount != Options.PseudoInputCount
            || parent.Options.Hidden != Options.Hidden || parent.Options.Layers != Options.Layers || parent.Options.Activation != Options.Activation)
            throw new ArgumentException("The parent network differs in features, classes or architecture, so its weights cannot seed this one.", nameof(parent));
        var source = parent.state_dict();
        using var noGrad = no_grad();
        foreach (var (name, target) in named_parameters())
        {
            var old = source[name].to(target.device);
            if (old.shape.SequenceEqual(target.shape))
            {
                target.copy_(old);
                continue;
            }

            // Only the class dimension grew. p(z1|y,z2) reads [y, z2]: y first, so z2's columns move right by the added classes;
            // every other input or output that involves y has it last, so the parent's weights are a leading block.
            var dim = target.shape[0] != old.shape[0] ? 0 : 1;
            if (name == "p_z1.body.0.weight")
            {
                var k = parent.Classes;
                target[.., ..k].copy_(old[.., ..k]);
                target[.., Classes..].copy_(old[.., k..]);
            }
            else if (dim == 0)
            {
                target[..(int)old.shape[0]].copy_(old);
            }
            else
            {
                target[.., ..(int)old.shape[1]].copy_(old);
            }
        }
    }

    /// <summary>Class logits of q(y|z1,x) at z1 = the mean of q(z1|x) (deterministic; B × K).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (m1, _) = q_z1.forward(x);
        return q_y.forward(cat([x, m1], 1)).MoveToOuterDisposeScope();
    }

    /// <summary>The mean of q(z1|x) per row (B × Z1): the latent representation of the paper's PCA figures.</summary>
    public Tensor LatentMean(Tensor x)
    {
        using var scope = NewDisposeScope();
        return q_z1.forward(x).Mean.MoveToOuterDisposeScope();
    }

    /// <summary>q(z1|x): mean and bounded log-variance per row.</summary>
    internal (Tensor Mean, Tensor LogVar) EncodeZ1(Tensor x) => q_z1.forward(x);

    /// <summary>Logits of q(y|z1,x) for a given z1.</summary>
    internal Tensor ClassLogits(Tensor x, Tensor z1) => q_y.forward(cat([x, z1], 1));

    /// <summary>
    /// F(x, y) = log p(x|z1,z2,y) + w·[log p(z1|y,z2) − log q(z1|x) − KL(q(z2|z1,y,x) ‖ p(z2))] + log p(y) per row for
    /// one sample of z1 and z2 (eq. 5, with the z2 term in closed form); <paramref name="klWeight"/> w is the warm-up
    /// weight (1 = the bound). <paramref name="y"/> is one-hot (B × K).
    /// </summary>
    private Tensor LabeledBound(Tensor x, Tensor z1, Tensor logQz1, Tensor y, double klWeight, Generator generator)
    {
        var (m2, v2) = q_z2.forward(cat([x, z1, y], 1));
        var z2 = Gaussian.Sample(m2, v2, generator);
        var kl2 = KlZ2(m2, v2, z2);
        var (pm1, pv1) = p_z1.forward(cat([y, z2], 1));
        var logPz1 = Gaussian.LogDensity(z1, pm1, pv1);
        var (mx, vx) = p_x.forward(cat([z1, z2, y], 1));
        var logPx = Gaussian.LogDensity(x, mx, vx);
        return (logPx + (logPz1 - logQz1 - kl2).Times(klWeight)).Plus(_logPy);
    }

    /// <summary>
    /// The labeled objective L(x, y) = F(x, y) + α·log q(y|z1,x) per row (eq. 7), one Monte-Carlo sample of z1 and z2.
    /// <paramref name="labels"/> holds class indices (int64, B).
    /// </summary>
    public Tensor LabeledObjective(Tensor x, Tensor labels, double alpha, double klWeight, Generator generator)
    {
        using var scope = NewDisposeScope();
        var (m1, v1) = q_z1.forward(x);
        var z1 = Gaussian.Sample(m1, v1, generator);
        var logQz1 = Gaussian.LogDensity(z1, m1, v1);
        var logQy = log_softmax(ClassLogits(x, z1), 1).gather(1, labels.unsqueeze(1)).squeeze(1);
        var y = one_hot(labels, Classes).to_type(x.dtype);
        var f = LabeledBound(x, z1, logQz1, y, klWeight, generator);
        return (f + logQy.Times(alpha)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The unlabeled bound U(x) = Σ_y q(y|z1,x)·F(x, y) + H(q(y|z1,x)) per row (eq. 6), summing over all K classes in one
    /// batched pass (each row repeated K times), one sample of z1 and one of z2 per class.
    /// </summary>
    public Tensor UnlabeledBound(Tensor x, double klWeight, Generator generator)
    {
        using var scope = NewDisposeScope();
        var parts = UnlabeledParts(x, q_z1.forward(x), klWeight, generator);
        return parts.Bound.MoveToOuterDisposeScope();
    }

    /// <summary>U(x), x repeated per class and the decoder's mean and log-variance per (row, class), rows b·K + k; q(z1|x) given.</summary>
    internal UnlabeledResult UnlabeledParts(Tensor x, (Tensor Mean, Tensor LogVar) qz1, double klWeight, Generator generator)
    {
        var (m1, v1) = qz1;
        var z1 = Gaussian.Sample(m1, v1, generator);
        var logQz1 = Gaussian.LogDensity(z1, m1, v1);
        var logQy = log_softmax(ClassLogits(x, z1), 1);

        var (xK, m2, v2, z2, logPz1, mx, vx, logPx) = EnumerateClasses(x, z1, generator);
        var kl2 = KlZ2(m2, v2, z2);

        // F(x, y) without the −log q(z1|x) term, which does not depend on y and is taken out of the sum.
        var fK = (logPx + (logPz1 - kl2).Times(klWeight)).Plus(_logPy);
        var bound = Categorical.ExpectationPlusEntropy(logQy, fK) - logQz1.Times(klWeight);
        return new UnlabeledResult(bound, xK, mx, vx);
    }

    /// <summary>
    /// Terms of the importance-weighted bound with y enumerated: per (row, class), log p(x, y, z1, z2) − log q(z1|x) −
    /// log q(z2|z1,y,x) for one sample of z1 and z2 ((B·K)). Log-sum-exp over classes and samples minus log S gives the
    /// IW-S bound on log p(x) (q(y|z1,x) cancels when y is summed exactly).
    /// </summary>
    internal Tensor ImportanceLogWeights(Tensor x, Generator generator)
    {
        using var scope = NewDisposeScope();
        int k = Classes;
        var (m1, v1) = q_z1.forward(x);
        var z1 = Gaussian.Sample(m1, v1, generator);
        var logQz1 = Gaussian.LogDensity(z1, m1, v1);
        var (_, m2, v2, z2, logPz1, _, _, logPx) = EnumerateClasses(x, z1, generator);
        var logRatioZ2 = LogPriorZ2(z2) - Gaussian.LogDensity(z2, m2, v2);
        var perClass = (logPx + logPz1 + logRatioZ2).Plus(_logPy);
        return (perClass - logQz1.repeat_interleave(k, 0)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Every term of the bound for one sample per (row, class), rows b·K + k: z1 ~ q(z1|x) (or, with
    /// <paramref name="z1FromPrior"/>, z1 ~ p(z1|y,z2) after z2 ~ q(z2|z̃1,y,x) with z̃1 ~ q(z1|x): the posterior on the upper
    /// level and the prior on the lower one, as BIVA's L^{>1}), y enumerated, z2 ~ q(z2|z1,y,x).
    /// </summary>
    internal LatentTerms Terms(Tensor x, Generator generator, bool z1FromPrior = false)
    {
        int k = Classes;
        var (m1, v1) = q_z1.forward(x);
        var z1 = Gaussian.Sample(m1, v1, generator);
        var logQy = log_softmax(ClassLogits(x, z1), 1).reshape(-1);
        var xK = x.repeat_interleave(k, 0);
        var z1K = z1.repeat_interleave(k, 0);
        var m1K = m1.repeat_interleave(k, 0);
        var v1K = v1.repeat_interleave(k, 0);
        var yK = eye(k, dtype: x.dtype, device: x.device).repeat(x.shape[0], 1);
        var (m2, v2) = q_z2.forward(cat([xK, z1K, yK], 1));
        var z2 = Gaussian.Sample(m2, v2, generator);
        var (pm1, pv1) = p_z1.forward(cat([yK, z2], 1));
        if (z1FromPrior) z1K = Gaussian.Sample(pm1, pv1, generator);
        var (mx, vx) = p_x.forward(cat([z1K, z2, yK], 1));
        var levels = new[]
        {
            new LatentLevel("z1", z1K, Gaussian.LogDensity(z1K, m1K, v1K), Gaussian.LogDensity(z1K, pm1, pv1)),
            new LatentLevel("z2", z2, Gaussian.LogDensity(z2, m2, v2), LogPriorZ2(z2)),
        };
        var logPy = ScalarOps.Filled([xK.shape[0]], _logPy, x.dtype, x.device);
        return new LatentTerms(levels, Gaussian.LogDensity(xK, mx, vx), logPy, logQy);
    }

    /// <summary>log q(y | x̂) for <paramref name="perClass"/> rows per class generated from z2 ~ p(z2), z1 ~ p(z1|y,z2), x̂ = E[p(x|z1,z2,y)].</summary>
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
        var xHat = p_x.forward(cat([z1, z2, y], 1)).Mean;
        return log_softmax(forward(xHat), 1).gather(1, labels.unsqueeze(1)).squeeze(1);
    }

    /// <summary>The z2 term of the bound's KL: closed form against N(0, I), or log q − log p at the sample under the VampPrior.</summary>
    private Tensor KlZ2(Tensor m2, Tensor v2, Tensor z2) =>
        prior is null ? Gaussian.KlToStandard(m2, v2) : Gaussian.LogDensity(z2, m2, v2) - LogPriorZ2(z2);

    /// <summary>log p(z2) per row: N(0, I) or the VampPrior.</summary>
    private Tensor LogPriorZ2(Tensor z2) =>
        prior is null ? Gaussian.StandardLogDensity(z2) : prior.Components(q_z1, q_y, q_z2, Classes).LogDensity(z2);

    /// <summary>
    /// The generative pass for every class at once: each row of x and z1 repeated K times (rows b·K + k) with y = one-hot(k),
    /// one sample z2 ~ q(z2|z1,y,x) per (row, class), log p(z1|y,z2) and p(x|z1,z2,y) with its log-density.
    /// </summary>
    private ClassPass EnumerateClasses(Tensor x, Tensor z1, Generator generator)
    {
        long b = x.shape[0];
        int k = Classes;
        var xK = x.repeat_interleave(k, 0);
        var z1K = z1.repeat_interleave(k, 0);
        var yK = eye(k, dtype: x.dtype, device: x.device).repeat(b, 1);
        var (m2, v2) = q_z2.forward(cat([xK, z1K, yK], 1));
        var z2 = Gaussian.Sample(m2, v2, generator);
        var (pm1, pv1) = p_z1.forward(cat([yK, z2], 1));
        var logPz1 = Gaussian.LogDensity(z1K, pm1, pv1);
        var (mx, vx) = p_x.forward(cat([z1K, z2, yK], 1));
        var logPx = Gaussian.LogDensity(xK, mx, vx);
        return new ClassPass(xK, m2, v2, z2, logPz1, mx, vx, logPx);
    }

    private readonly record struct ClassPass(Tensor XK, Tensor Z2Mean, Tensor Z2LogVar, Tensor Z2, Tensor LogPz1,
        Tensor DecoderMean, Tensor DecoderLogVar, Tensor LogPx);

    nn.Module<Tensor, Tensor> ILatentNetwork.Module => this;

    Tensor ILatentNetwork.ClassifierLogits(Tensor x) => forward(x);

    UnlabeledResult ILatentNetwork.UnlabeledParts(Tensor x, double klWeight, Generator generator) => UnlabeledParts(x, q_z1.forward(x), klWeight, generator);

    Tensor ILatentNetwork.ImportanceLogWeights(Tensor x, Generator generator) => ImportanceLogWeights(x, generator);

    Tensor ILatentNetwork.ConsistencyLogLikelihood(int perClass, Generator generator) => ConsistencyLogLikelihood(perClass, generator);

    LatentTerms IHierarchicalLatentNetwork.Terms(Tensor x, Generator generator, bool z1FromPrior) => Terms(x, generator, z1FromPrior);
}
