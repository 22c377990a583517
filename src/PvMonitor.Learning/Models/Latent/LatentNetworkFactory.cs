using PvMonitor.Learning.Models.Adgm;
using PvMonitor.Learning.Models.Cagem;
using PvMonitor.Learning.Models.M2;
using PvMonitor.Learning.Models.Sdgm;
using TorchSharp;

namespace PvMonitor.Learning.Models.Latent;

/// <summary>Builds the network of a latent kind (<see cref="ModelKinds"/>) and wraps a trained one as its model.</summary>
internal static class LatentNetworkFactory
{
    /// <summary>A fresh network of <paramref name="kind"/>, its weights drawn from <paramref name="generator"/>.</summary>
    /// <exception cref="ArgumentException">Not a latent kind, or options the kind does not support.</exception>
    public static ILatentNetwork Create(string kind, int features, int classes, SdgmOptions options, torch.Generator generator)
    {
        var info = ModelKinds.Get(kind);
        if (!info.IsLatent) throw new ArgumentException($"'{kind}' is not a latent model kind.", nameof(kind));
        Check(info, options);
        return kind switch
        {
            ModelKinds.Sdgm => new SdgmNetwork(features, classes, options, generator),
            ModelKinds.M2 => new M2Network(features, classes, options, generator),
            ModelKinds.Adgm => new AdgmNetwork(features, classes, options, generator),
            ModelKinds.Cagem => new CagemNetwork(features, classes, options, generator),
            _ => throw new ArgumentException($"'{kind}' has no network here.", nameof(kind)),
        };
    }

    /// <summary>Throws when <paramref name="options"/> asks for what <paramref name="kind"/> does not support (naming the option).</summary>
    public static void Check(ModelKind kind, SdgmOptions options)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Prior != LatentPrior.Standard && !kind.SupportsVampPrior)
            throw new ArgumentException($"--prior vamp is available for {string.Join(" and ", ModelKinds.All.Where(k => k.SupportsVampPrior).Select(k => k.Name))}, not {kind.Name}.", nameof(options));
        if (options.Consistency > 0 && !kind.SupportsConsistency)
            throw new ArgumentException($"--consistency is available for {string.Join(", ", ModelKinds.All.Where(k => k.SupportsConsistency).Select(k => k.Name))}, not {kind.Name}.", nameof(options));
    }
}
