namespace PvMonitor.Learning.Models;

/// <summary>
/// One model kind <c>train --model</c> accepts and <see cref="ModelDirectory"/> loads, and what it supports. The list is
/// <see cref="ModelKinds.All"/>.
/// </summary>
/// <param name="Name">The name on the command line and in <c>manifest.json</c>'s <c>kind</c> (e.g. <c>sdgm</c>).</param>
/// <param name="Description">One line for help texts.</param>
/// <param name="IsLatent">A semi-supervised deep generative model (trained by <see cref="Training.SdgmTrainer"/>'s loop on
/// <see cref="Sdgm.SdgmOptions"/>, scored by <see cref="Latent.LatentModel"/>, with an ELBO for anomalies); false for the
/// discriminative baselines (mlp, mlr).</param>
/// <param name="SupportsVampPrior">Accepts <c>--prior vamp</c> for its top latent.</param>
/// <param name="SupportsConsistency">Accepts <c>--consistency</c> (the inverted-VAE term).</param>
/// <param name="SupportsFineTuning">Can continue from a parent's weights (<c>--init-from</c>, retraining's fine-tune).</param>
/// <param name="IsHierarchical">Has two continuous latent levels (z1 below z2) whose q and p the network exposes per level.</param>
public sealed record ModelKind(string Name, string Description, bool IsLatent, bool SupportsVampPrior, bool SupportsConsistency,
    bool SupportsFineTuning, bool IsHierarchical);
