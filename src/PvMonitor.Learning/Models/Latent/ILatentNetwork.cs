using PvMonitor.Learning.Models.Sdgm;
using TorchSharp;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Models.Latent;

/// <summary>
/// What the shared training loop (<see cref="Training.SdgmTrainer"/>) and scoring (<see cref="LatentModel"/>) need from a
/// semi-supervised latent network (sdgm, m2, adgm, cagem). Every bound is per row, in nats, on standardised inputs;
/// <c>klWeight</c> is the KL warm-up weight (1 = the bound); labels are class indices (int64).
/// </summary>
internal interface ILatentNetwork
{
    /// <summary>The network itself as a TorchSharp module (parameters, state dict, train/eval mode, device).</summary>
    nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>Input features d.</summary>
    int Features { get; }

    /// <summary>Classes (or clusters) K.</summary>
    int Classes { get; }

    /// <summary>The hyperparameters.</summary>
    SdgmOptions Options { get; }

    /// <summary>The VampPrior of the top latent, or null with the standard prior.</summary>
    VampPrior? Prior { get; }

    /// <summary>Logits of the classifier q(y|x) at the mean of every latent it conditions on (B × K): how the model classifies.</summary>
    Tensor ClassifierLogits(Tensor x);

    /// <summary>The labeled objective L(x, y) per row (one Monte-Carlo sample).</summary>
    Tensor LabeledObjective(Tensor x, Tensor labels, double alpha, double klWeight, Generator generator);

    /// <summary>The unlabeled bound U(x) per row, y summed over all K classes.</summary>
    Tensor UnlabeledBound(Tensor x, double klWeight, Generator generator);

    /// <summary>U(x) with the per-(row, class) decoder output, rows b·K + k (for reconstruction z-scores).</summary>
    UnlabeledResult UnlabeledParts(Tensor x, double klWeight, Generator generator);

    /// <summary>
    /// Per (row, class), rows b·K + k: log p(x, y, latents) − log q(latents except y | x) for one sample of the latents.
    /// Log-sum-exp over classes and S samples minus log S is the IW-S bound on log p(x) (y summed exactly).
    /// </summary>
    Tensor ImportanceLogWeights(Tensor x, Generator generator);

    /// <summary>
    /// The inverted-VAE consistency log-likelihoods log q(y | x̂) for <paramref name="perClass"/> generated rows per class
    /// (K·perClass values, class-major): z drawn from the prior, x̂ the mean of p(x|·) for that class; gradients reach both the
    /// classifier and the generator.
    /// </summary>
    Tensor ConsistencyLogLikelihood(int perClass, Generator generator);
}
