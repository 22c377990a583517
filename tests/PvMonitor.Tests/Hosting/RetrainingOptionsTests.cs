using PvMonitor.Hosting;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;

namespace PvMonitor.Tests.Hosting;

public class RetrainingOptionsTests
{
    private static ModelManifest Manifest(string kind, string? prior, Dictionary<string, double> hyperparameters) => new()
    {
        Kind = kind,
        Prior = prior,
        Version = "v",
        Created = DateTimeOffset.UnixEpoch,
        Features = ["I", "V"],
        Normalisation = new NormalisationInfo([0, 0], [1, 1]),
        Classes = ["N", "SC"],
        Hyperparameters = hyperparameters,
        Seed = 1,
        TrainingDataHash = "",
        Metrics = new Dictionary<string, double>(),
    };

    [Fact]
    public void A_variant_retrains_with_its_parents_options_and_an_sdgm_with_the_defaults()
    {
        var parent = Manifest("cagem", "vamp", new() { ["z1"] = 3, ["z2"] = 5, ["hidden"] = 20, ["beta"] = 2, ["pseudo_inputs"] = 12, ["consistency"] = 0.25 });
        var options = RetrainingService.RetrainOptionsFor(parent, epochs: 7);
        options.Should().Be(new SdgmOptions
        {
            Z1 = 3, Z2 = 5, Hidden = 20, Beta = 2, Prior = LatentPrior.Vamp, PseudoInputs = 12, Consistency = 0.25, Epochs = 7, BalancedLabels = true,
        });

        var sdgm = Manifest("sdgm", "standard", new() { ["z1"] = 3, ["hidden"] = 20 });
        RetrainingService.RetrainOptionsFor(sdgm, epochs: 7).Should().Be(new SdgmOptions { Epochs = 7, BalancedLabels = true });

        // An sdgm with the VampPrior (or the consistency term) keeps them: retraining must not turn it into another model.
        var vamp = Manifest("sdgm", "vamp", new() { ["z1"] = 3, ["hidden"] = 20, ["pseudo_inputs"] = 20, ["consistency"] = 0.1 });
        RetrainingService.RetrainOptionsFor(vamp, epochs: 7).Should().Be(new SdgmOptions
        {
            Prior = LatentPrior.Vamp, PseudoInputs = 20, Consistency = 0.1, Epochs = 7, BalancedLabels = true,
        });
    }
}
