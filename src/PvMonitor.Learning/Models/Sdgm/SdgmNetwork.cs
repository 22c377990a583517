using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Distributions;
using PvMonitor.Learning.Nn;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Models.Sdgm;

/// <summary>
/// The Skip Deep Generative Model of Maaløe et al. as used for PV condition monitoring (Appendix D, eq. 4–8).
/// <list type="bullet">
/// <item>inference: q(z1|x) · q(y|z1,x) · q(z2|z1,y,x)</item>
/// <item>generative: p(x|z1,z2,y) · p(z1|y,z2) · p(y) · p(z2), with p(y) uniform, p(z2) = N(0, I) and diagonal
/// Gaussians (bounded log-variance) elsewhere</item>
/// </list>
/// Every network has <see cref="SdgmOptions.Layers"/> hidden layers of <see cref="SdgmOptions.Hidden"/> ReLU units.
/// All bounds are per row in nats, on standardised inputs.
/// </summary>
public sealed class SdgmNetwork : Module
{
    private readonly GaussianNetwork _qz1;
    private readonly Sequential _qy;
    private readonly GaussianNetwork _qz2;
    private readonly GaussianNetwork _pz1;
    private readonly GaussianNetwork _px;
    private readonly float _logPy;

    /// <summary>Creates a network for <paramref name="features"/> inputs and <paramref name="classes"/> classes.</summary>
    public SdgmNetwork(int features, int classes, SdgmOptions options, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, "At least one feature is needed.");
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "At least one class is needed.");
        Features = features;
        Classes = classes;
        Options = options;
        _qz1 = RegisterModule("q_z1", new GaussianNetwork(features, options.Z1, options, random));
        var qy = new MlpBuilder(features + options.Z1);
        for (int i = 0; i < options.Layers; i++) qy.Hidden(options.Hidden, options.Activation);
        _qy = RegisterModule("q_y", qy.Output(classes).Build(random));
        _qz2 = RegisterModule("q_z2", new GaussianNetwork(features + options.Z1 + classes, options.Z2, options, random));
        _pz1 = RegisterModule("p_z1", new GaussianNetwork(classes + options.Z2, options.Z1, options, random));
        _px = RegisterModule("p_x", new GaussianNetwork(options.Z1 + options.Z2 + classes, features, options, random));
        _logPy = -MathF.Log(classes);
    }

    /// <summary>Input features d.</summary>
    public int Features { get; }

    /// <summary>Classes K.</summary>
    public int Classes { get; }

    /// <summary>The hyperparameters.</summary>
    public SdgmOptions Options { get; }

    /// <summary>
    /// The labeled objective L(x, y) = F(x, y) + α·log q(y|z1,x) per row (rows × 1), one Monte-Carlo sample of z1, z2;
    /// the KL-like terms are multiplied by <paramref name="klWeight"/> (warm-up; 1 = the true bound).
    /// </summary>
    public Tensor LabeledObjective(Graph g, Tensor x, ReadOnlySpan<int> labels, float alpha, float klWeight, RandomSource random)
    {
        var (m1, v1) = _qz1.Forward(g, x);
        var z1 = g.Reparameterize(m1, v1, random);
        var logQz1 = g.GaussianLogProb(z1, m1, v1);
        var logits = _qy.Forward(g, g.Concat(x, z1));
        var logQy = g.Gather(g.LogSoftmax(logits), labels);
        var y = g.OneHot(labels, Classes);
        var (m2, v2) = _qz2.Forward(g, g.Concat(x, z1, y));
        var z2 = g.Reparameterize(m2, v2, random);
        var kl2 = g.StandardNormalKl(m2, v2);
        var (pm1, pv1) = _pz1.Forward(g, g.Concat(y, z2));
        var logPz1 = g.GaussianLogProb(z1, pm1, pv1);
        var (mx, vx) = _px.Forward(g, g.Concat(z1, z2, y));
        var logPx = g.GaussianLogProb(x, mx, vx);
        // F = log p(x|·) + w·(log p(z1|y,z2) − log q(z1|x) − KL(q(z2)‖p(z2))) + log p(y)
        var latent = g.Sub(g.Sub(logPz1, logQz1), kl2);
        var f = g.ScaleAdd(g.WeightedSum(logPx, 1f, latent, klWeight), 1f, _logPy);
        return g.WeightedSum(f, 1f, logQy, alpha);
    }

    /// <summary>
    /// The unlabeled bound U(x) = Σ_y q(y|z1,x)·F(x, y) + H(q(y|z1,x)) per row (rows × 1), summing over all K classes in
    /// one batched pass (each row tiled K times), one Monte-Carlo sample of z1 and of z2 per class.
    /// </summary>
    public Tensor UnlabeledBound(Graph g, Tensor x, float klWeight, RandomSource random) =>
        UnlabeledParts(g, x, klWeight, random).Bound;

    /// <summary>U(x) plus what scoring needs: q(y|z1,x) at the sampled z1 and the decoder's mean and log-variance per (row, class).</summary>
    internal UnlabeledResult UnlabeledParts(Graph g, Tensor x, float klWeight, RandomSource random) =>
        UnlabeledParts(g, x, _qz1.Forward(g, x), klWeight, random);

    /// <summary><see cref="UnlabeledParts(Graph, Tensor, float, RandomSource)"/> with q(z1|x) already computed (scoring reuses it).</summary>
    internal UnlabeledResult UnlabeledParts(Graph g, Tensor x, (Tensor Mean, Tensor LogVar) qz1, float klWeight, RandomSource random)
    {
        int b = x.Rows, k = Classes;
        var (m1, v1) = qz1;
        var z1 = g.Reparameterize(m1, v1, random);
        var logQz1 = g.GaussianLogProb(z1, m1, v1);
        var logits = _qy.Forward(g, g.Concat(x, z1));
        var q = new Categorical(g, logits);
        var probs = q.Probabilities();
        var entropy = q.Entropy();

        var xK = g.RepeatRows(x, k);
        var z1K = g.RepeatRows(z1, k);
        var yK = g.EnumerateClasses(b, k);
        var (m2, v2) = _qz2.Forward(g, g.Concat(xK, z1K, yK));
        var z2 = g.Reparameterize(m2, v2, random);
        var kl2 = g.StandardNormalKl(m2, v2);
        var (pm1, pv1) = _pz1.Forward(g, g.Concat(yK, z2));
        var logPz1 = g.GaussianLogProb(z1K, pm1, pv1);
        var (mx, vx) = _px.Forward(g, g.Concat(z1K, z2, yK));
        var logPx = g.GaussianLogProb(xK, mx, vx);

        var fK = g.ScaleAdd(g.WeightedSum(logPx, 1f, g.Sub(logPz1, kl2), klWeight), 1f, _logPy); // (B·K) × 1
        var expected = g.RowSum(g.Mul(probs, g.Reshape(fK, b, k)));                           // B × 1
        var bound = g.Add(g.WeightedSum(expected, 1f, logQz1, -klWeight), entropy);
        return new UnlabeledResult(bound, probs, mx, vx);
    }

    /// <summary>The mean of q(z1|x) per row (rows × Z1): the latent representation plotted in the paper's PCA figures.</summary>
    public Tensor LatentMean(Graph g, Tensor x) => _qz1.Forward(g, x).Mean;

    /// <summary>q(z1|x): mean and bounded log-variance per row.</summary>
    internal (Tensor Mean, Tensor LogVar) EncodeZ1(Graph g, Tensor x) => _qz1.Forward(g, x);

    /// <summary>Logits of q(y|z1,x) for given z1.</summary>
    internal Tensor ClassLogits(Graph g, Tensor x, Tensor z1) => _qy.Forward(g, g.Concat(x, z1));

    /// <summary>Class logits of q(y|z1,x) at z1 = the mean of q(z1|x) (deterministic, used for classification).</summary>
    public Tensor ClassLogitsAtMean(Graph g, Tensor x)
    {
        var (m1, _) = _qz1.Forward(g, x);
        return _qy.Forward(g, g.Concat(x, m1));
    }

    /// <summary>
    /// Terms of the importance-weighted bound with y enumerated: per (row, class), log p(x, y, z1, z2) − log q(z1|x) −
    /// log q(z2|z1,y,x) for one sample of z1 and z2 ((B·K) × 1). log-sum-exp over classes and samples minus log S gives
    /// the IW-S bound on log p(x) (q(y|z1,x) cancels when y is summed exactly).
    /// </summary>
    internal Tensor ImportanceLogWeights(Graph g, Tensor x, RandomSource random)
    {
        int b = x.Rows, k = Classes;
        var (m1, v1) = _qz1.Forward(g, x);
        var z1 = g.Reparameterize(m1, v1, random);
        var logQz1 = g.GaussianLogProb(z1, m1, v1);
        var xK = g.RepeatRows(x, k);
        var z1K = g.RepeatRows(z1, k);
        var yK = g.EnumerateClasses(b, k);
        var (m2, v2) = _qz2.Forward(g, g.Concat(xK, z1K, yK));
        var z2 = g.Reparameterize(m2, v2, random);
        var logRatioZ2 = g.Sub(g.StandardNormalLogProb(z2), g.GaussianLogProb(z2, m2, v2));
        var (pm1, pv1) = _pz1.Forward(g, g.Concat(yK, z2));
        var logPz1 = g.GaussianLogProb(z1K, pm1, pv1);
        var (mx, vx) = _px.Forward(g, g.Concat(z1K, z2, yK));
        var logPx = g.GaussianLogProb(xK, mx, vx);
        var perClass = g.ScaleAdd(g.Add(g.Add(logPx, logPz1), logRatioZ2), 1f, _logPy);
        return g.Sub(perClass, g.RepeatRows(logQz1, k));
    }

    internal readonly record struct UnlabeledResult(Tensor Bound, Tensor Probabilities, Tensor DecoderMean, Tensor DecoderLogVar);
}
