using PvMonitor.Learning.Models;

namespace PvMonitor.Learning.Tests.Models;

public class ModelKindsTests
{
    [Fact]
    public void The_list_names_every_kind_once_with_sdgm_first()
    {
        ModelKinds.Names.Should().Equal("sdgm", "m2", "adgm", "cagem", "mlp", "mlr");
        ModelKinds.NamesText.Should().Be("sdgm, m2, adgm, cagem, mlp or mlr");
        ModelKinds.All.Where(k => k.IsLatent).Select(k => k.Name).Should().Equal("sdgm", "m2", "adgm", "cagem");
        ModelKinds.All.Where(k => k.SupportsVampPrior).Select(k => k.Name).Should().Equal("sdgm", "cagem");
        ModelKinds.All.Where(k => k.IsHierarchical).Select(k => k.Name).Should().Equal("sdgm", "cagem");
        ModelKinds.All.Where(k => k.SupportsFineTuning).Select(k => k.Name).Should().Equal("sdgm");
        ModelKinds.Find("SDGM").Should().BeNull("names are exact");
        var unknown = () => ModelKinds.Get("m3");
        unknown.Should().Throw<ArgumentException>().WithMessage("*'m3'*sdgm, m2, adgm, cagem, mlp or mlr*");
    }

    [Fact]
    public void A_manifest_without_a_prior_reads_as_the_standard_prior()
    {
        ModelHyperparameters.ToSdgmOptions(new Dictionary<string, double>()).Should().Be(new PvMonitor.Learning.Models.Sdgm.SdgmOptions());
        ModelHyperparameters.ToSdgmOptions(new Dictionary<string, double> { ["pseudo_inputs"] = 9 }, "vamp").PseudoInputCount.Should().Be(9);
        var bad = () => ModelHyperparameters.ParsePrior("flat");
        bad.Should().Throw<ArgumentException>().WithMessage("*'flat'*standard or vamp*");
    }
}
