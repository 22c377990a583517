using PvMonitor.Learning.Models.Classifiers;
using PvMonitor.Learning.Models.Sdgm;

namespace PvMonitor.Learning.Training;

/// <summary>
/// A named set of training settings for every model kind (<c>train --preset</c>). <see cref="Default"/> holds the best
/// settings measured across the simulator and real data (bench/training); <see cref="Paper"/> the PV paper's (Appendix D)
/// so its experiments stay reproducible.
/// </summary>
/// <param name="Name">The name used on the command line.</param>
/// <param name="Sdgm">SDGM options.</param>
/// <param name="Mlp">MLP baseline options.</param>
/// <param name="Mlr">MLR baseline options.</param>
/// <param name="Scaling">Input scaling.</param>
public sealed record TrainingPreset(string Name, SdgmOptions Sdgm, ClassifierOptions Mlp, ClassifierOptions Mlr, InputScalingMethod Scaling)
{
    /// <summary>The defaults: Adam 1e-3, β = 20, smoothed early stopping scaled to the run, robust scaling, MLP dropout 0.1.</summary>
    public static TrainingPreset Default { get; } = new("default", new SdgmOptions(), ClassifierOptions.Mlp, ClassifierOptions.Mlr, InputScalingMethod.Robust);

    /// <summary>The paper: Adam 3e-4, β = 0.1, raw validation accuracy with patience 20, standard scaling, MLP dropout 0.5.</summary>
    public static TrainingPreset Paper { get; } = new("paper", SdgmOptions.Paper, ClassifierOptions.PaperMlp, ClassifierOptions.PaperMlr, InputScalingMethod.Standard);

    /// <summary>Every preset by name.</summary>
    public static IReadOnlyList<TrainingPreset> All { get; } = [Default, Paper];

    /// <summary>The preset called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static TrainingPreset? Find(string? name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The classifier options for <paramref name="kind"/> (mlp or mlr).</summary>
    public ClassifierOptions Classifier(string kind) => kind == Models.ModelKinds.Mlr ? Mlr : Mlp;
}
