using PvMonitor.Learning.Models.Classifiers;
using PvMonitor.Learning.Models.Sdgm;

namespace PvMonitor.Learning.Models;

/// <summary>Converts model options to and from the manifest's name → number dictionary.</summary>
public static class ModelHyperparameters
{
    /// <summary>The latent models' options as manifest entries (<c>pseudo_inputs</c> only with the VampPrior,
    /// <c>consistency</c> only when on, so a default SDGM's entries are what they always were; the prior's name is
    /// <see cref="ModelManifest.Prior"/>).</summary>
    public static Dictionary<string, double> From(SdgmOptions o)
    {
        var d = Base(o);
        if (o.Prior == LatentPrior.Vamp) d["pseudo_inputs"] = o.PseudoInputCount;
        if (o.Consistency > 0) d["consistency"] = o.Consistency;
        return d;
    }

    private static Dictionary<string, double> Base(SdgmOptions o) => new()
    {
        ["z1"] = o.Z1, ["z2"] = o.Z2, ["hidden"] = o.Hidden, ["layers"] = o.Layers, ["activation"] = (int)o.Activation,
        ["beta"] = o.Beta, ["learning_rate"] = o.LearningRate, ["labeled_batch"] = o.LabeledBatch,
        ["unlabeled_batch"] = o.UnlabeledBatch, ["epochs"] = o.Epochs, ["warmup_epochs"] = o.WarmupEpochs,
        ["patience"] = o.Patience ?? -1, ["min_epochs"] = o.MinEpochs ?? -1, ["smoothing"] = o.Smoothing,
        ["validation_fraction"] = o.ValidationFraction, ["logvar_min"] = o.LogVarMin,
        ["logvar_max"] = o.LogVarMax, ["clip_norm"] = o.ClipNorm, ["threshold_percentile"] = o.ThresholdPercentile,
        ["balanced_labels"] = o.BalancedLabels ? 1 : 0,
    };

    /// <summary>The baseline options as manifest entries.</summary>
    public static Dictionary<string, double> From(ClassifierOptions o)
    {
        var d = new Dictionary<string, double>
        {
            ["hidden_layers"] = o.HiddenLayers.Count, ["dropout"] = o.Dropout, ["l2"] = o.L2, ["learning_rate"] = o.LearningRate,
            ["batch"] = o.Batch, ["epochs"] = o.Epochs, ["patience"] = o.Patience ?? -1, ["min_epochs"] = o.MinEpochs ?? -1,
            ["smoothing"] = o.Smoothing, ["validation_fraction"] = o.ValidationFraction,
        };
        for (int i = 0; i < o.HiddenLayers.Count; i++) d[$"hidden_{i}"] = o.HiddenLayers[i];
        return d;
    }

    /// <summary>Rebuilds latent-model options from manifest entries (missing entries keep their defaults) and the
    /// manifest's prior name (<see cref="ModelManifest.Prior"/>; null or "standard" = N(0, I)).</summary>
    /// <exception cref="ArgumentException">An unknown prior name.</exception>
    public static SdgmOptions ToSdgmOptions(IReadOnlyDictionary<string, double> h, string? prior = null)
    {
        var d = new SdgmOptions();
        var vamp = ParsePrior(prior) == LatentPrior.Vamp;
        return d with
        {
            Prior = vamp ? LatentPrior.Vamp : LatentPrior.Standard,
            PseudoInputs = vamp ? Int(h, "pseudo_inputs", SdgmOptions.DefaultPseudoInputs) : null,
            Consistency = Get(h, "consistency", 0),
            Z1 = Int(h, "z1", d.Z1), Z2 = Int(h, "z2", d.Z2), Hidden = Int(h, "hidden", d.Hidden), Layers = Int(h, "layers", d.Layers),
            Activation = (HiddenActivation)Int(h, "activation", (int)d.Activation),
            LogVarMin = (float)Get(h, "logvar_min", d.LogVarMin), LogVarMax = (float)Get(h, "logvar_max", d.LogVarMax),
            Beta = (float)Get(h, "beta", d.Beta),
        };
    }

    /// <summary>Rebuilds baseline options from manifest entries.</summary>
    public static ClassifierOptions ToClassifierOptions(IReadOnlyDictionary<string, double> h)
    {
        int layers = Int(h, "hidden_layers", 2);
        var sizes = new int[layers];
        for (int i = 0; i < layers; i++) sizes[i] = Int(h, $"hidden_{i}", 50);
        return new ClassifierOptions { HiddenLayers = sizes, Dropout = (float)Get(h, "dropout", 0.5) };
    }

    /// <summary>The prior's name as written in the manifest and on the command line ("standard", "vamp").</summary>
    public static string PriorName(LatentPrior prior) => prior == LatentPrior.Vamp ? "vamp" : "standard";

    /// <summary>"standard" (or null) → Standard, "vamp" → Vamp.</summary>
    /// <exception cref="ArgumentException">Any other name.</exception>
    public static LatentPrior ParsePrior(string? name) => name switch
    {
        null or "standard" => LatentPrior.Standard,
        "vamp" => LatentPrior.Vamp,
        _ => throw new ArgumentException($"Unknown prior '{name}': expected standard or vamp.", nameof(name)),
    };

    private static double Get(IReadOnlyDictionary<string, double> h, string key, double fallback) => h.TryGetValue(key, out var v) ? v : fallback;

    private static int Int(IReadOnlyDictionary<string, double> h, string key, int fallback) => (int)Math.Round(Get(h, key, fallback));
}
