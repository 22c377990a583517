namespace PvMonitor.Learning.Models;

/// <summary>
/// The one list of model kinds: every place that accepts, trains, loads or retrains a kind asks here
/// (<c>train --model</c>, <see cref="Training.ConditionModelTrainer"/>, <see cref="ModelDirectory.Load"/>,
/// <see cref="Training.TrainingTuner"/>, retraining).
/// </summary>
public static class ModelKinds
{
    /// <summary>The Skip Deep Generative Model (Appendix D; the default).</summary>
    public const string Sdgm = "sdgm";

    /// <summary>Kingma et al.'s M2 semi-supervised VAE.</summary>
    public const string M2 = "m2";

    /// <summary>The auxiliary deep generative model (thesis Appendix A).</summary>
    public const string Adgm = "adgm";

    /// <summary>The cluster-aware generative model (thesis Appendix C).</summary>
    public const string Cagem = "cagem";

    /// <summary>The MLP baseline.</summary>
    public const string Mlp = "mlp";

    /// <summary>The multinomial logistic regression baseline.</summary>
    public const string Mlr = "mlr";

    /// <summary>Every kind, the default first.</summary>
    public static IReadOnlyList<ModelKind> All { get; } =
    [
        new(Sdgm, "Skip Deep Generative Model: q(z1|x) q(y|z1,x) q(z2|z1,y,x), p(x|z1,z2,y) p(z1|y,z2) p(y) p(z2)", IsLatent: true,
            SupportsVampPrior: true, SupportsConsistency: true, SupportsFineTuning: true, IsHierarchical: true),
        new(M2, "Kingma et al.'s M2: q(y|x) q(z|x,y), p(x|y,z) p(y) p(z)", IsLatent: true,
            SupportsVampPrior: false, SupportsConsistency: true, SupportsFineTuning: false, IsHierarchical: false),
        new(Adgm, "auxiliary deep generative model: q(a|x) q(y|a,x) q(z|a,y,x), p(x|z,y) p(a|x,y,z) p(y) p(z)", IsLatent: true,
            SupportsVampPrior: false, SupportsConsistency: true, SupportsFineTuning: false, IsHierarchical: false),
        new(Cagem, "cluster-aware generative model: q(z1|x) q(y|z1,x) q(z2|x,y,z1), p(x|y,z1) p(z1|y,z2) p(y|z2) p(z2)", IsLatent: true,
            SupportsVampPrior: true, SupportsConsistency: true, SupportsFineTuning: false, IsHierarchical: true),
        new(Mlp, "multilayer perceptron baseline (no ELBO)", IsLatent: false,
            SupportsVampPrior: false, SupportsConsistency: false, SupportsFineTuning: false, IsHierarchical: false),
        new(Mlr, "multinomial logistic regression baseline (no ELBO)", IsLatent: false,
            SupportsVampPrior: false, SupportsConsistency: false, SupportsFineTuning: false, IsHierarchical: false),
    ];

    /// <summary>Every kind's name, the default first.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(k => k.Name).ToArray();

    /// <summary>The names as prose for messages: "sdgm, m2, adgm, cagem, mlp or mlr".</summary>
    public static string NamesText { get; } = string.Join(", ", Names.Take(Names.Count - 1)) + " or " + Names[^1];

    /// <summary>The kind called <paramref name="name"/> (exact, lower case), or null.</summary>
    public static ModelKind? Find(string? name) => All.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.Ordinal));

    /// <summary>The kind called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such kind (the message lists the known ones).</exception>
    public static ModelKind Get(string? name) =>
        Find(name) ?? throw new ArgumentException($"Unknown model kind '{name}': expected {NamesText}.", nameof(name));

    /// <summary>Whether <paramref name="name"/> is a latent (semi-supervised generative) kind with an ELBO.</summary>
    public static bool IsLatent(string? name) => Find(name)?.IsLatent == true;
}
