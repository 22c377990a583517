using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;

namespace PvMonitor.Learning.Experiments;

/// <summary>
/// The models <c>experiment variants</c> compares, in report order: every kind of <see cref="ModelKinds"/> with its default
/// options, plus the option variants of the seeds — the VampPrior on the top latent of sdgm and cagem
/// (<c>+vamp</c>, <see cref="VampPseudoInputs"/> pseudo-inputs) and the inverted-VAE consistency term on the
/// sdgm (<c>+consistency</c>, weight <see cref="ConsistencyWeight"/>). A name is <c>KIND</c> or <c>KIND+OPTION</c>.
/// </summary>
public static class ExperimentModelKinds
{
    /// <summary>
    /// Pseudo-inputs of the <c>+vamp</c> variants: 20. The prior is a mixture over pseudo-inputs × classes, evaluated for every
    /// (row, class) sample, so its cost grows with their product; with the training default of 100 a vamp model trained ~12×
    /// slower than the plain SDGM on 1,600 rows, which would have made it most of the experiment's time. Six sensor values
    /// need far fewer modes than the paper's images.
    /// </summary>
    public const int VampPseudoInputs = 20;

    /// <summary>The consistency weight of the <c>+consistency</c> variants: 0.1.</summary>
    public const double ConsistencyWeight = 0.1;

    /// <summary>Every model the experiment can train.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ModelKinds.Sdgm, ModelKinds.Sdgm + "+vamp", ModelKinds.Sdgm + "+consistency", ModelKinds.M2, ModelKinds.Adgm,
        ModelKinds.Cagem, ModelKinds.Cagem + "+vamp", ModelKinds.Mlp, ModelKinds.Mlr,
    ];

    /// <summary>The model kind of a name in <see cref="All"/> and its latent options on top of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The name is not in <see cref="All"/>.</exception>
    public static (string Kind, SdgmOptions Options) Resolve(string name, SdgmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!All.Contains(name, StringComparer.Ordinal))
            throw new ArgumentException($"Unknown model '{name}' (expected {string.Join(", ", All)}).", nameof(name));
        var parts = name.Split('+', 2);
        return parts.Length == 1 ? (parts[0], options) : parts[1] switch
        {
            "vamp" => (parts[0], options with { Prior = LatentPrior.Vamp, PseudoInputs = VampPseudoInputs }),
            _ => (parts[0], options with { Consistency = ConsistencyWeight }),
        };
    }
}
