using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Latent;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Tests.Models.Latent;

public sealed class LatentModelTests : IDisposable
{
    private static readonly SdgmOptions Small = new() { Z1 = 2, Z2 = 2, Hidden = 16, Epochs = 4, WarmupEpochs = 2, Patience = 0, LearningRate = 3e-3f, LabeledBatch = 32, UnlabeledBatch = 32 };
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"pvmon-latent-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    public static TheoryData<string, string> Variants => new()
    {
        { "sdgm", "standard" }, { "sdgm", "vamp" }, { "m2", "standard" }, { "adgm", "standard" }, { "cagem", "standard" }, { "cagem", "vamp" },
    };

    private static SdgmOptions Options(SdgmOptions o, string prior) =>
        o with { Prior = ModelHyperparameters.ParsePrior(prior), PseudoInputs = prior == "vamp" ? 5 : null };

    private static LatentModel Untrained(string kind, string prior, int features, int classes, ulong seed)
    {
        var network = LatentNetworkFactory.Create(kind, features, classes, Options(Small, prior), new Generator(seed));
        var manifest = SdgmTests.Manifest(features, classes) with { Kind = kind };
        return new LatentModel(network, new Standardizer(new float[features], Enumerable.Repeat(1f, features).ToArray()), manifest, null, 1);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Posteriors_sum_to_one_and_every_score_is_finite(string kind, string prior)
    {
        using var model = Untrained(kind, prior, 4, 3, 2);
        var (x, y) = SyntheticClusters.Make(700, 3, 4, seed: 3); // 2,100 rows: more than one scoring chunk
        var probs = new float[y.Length * 3];
        var elbo = new float[y.Length];
        var z = new float[y.Length * 4];
        model.Score(x, y.Length, probs, elbo, z);
        for (int i = 0; i < y.Length; i++) probs.AsSpan(i * 3, 3).ToArray().Sum().Should().BeApproximately(1f, 1e-5f);
        elbo.Should().OnlyContain(e => float.IsFinite(e));
        z.Should().OnlyContain(e => float.IsFinite(e));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_unlabeled_bound_is_below_the_importance_weighted_bound_on_average(string kind, string prior)
    {
        // E[U(x)] ≤ E[IW-1] (y summed exactly instead of weighted by q(y|·)) ≤ E[IW-16]; means over many draws and rows.
        using var model = Untrained(kind, prior, 3, 4, 3);
        float[] xv = [0.1f, -0.2f, 0.3f, 1f, 0.5f, -1f, -0.4f, 0.8f, 0.0f];
        const int draws = 100;
        var network = model.LatentNetwork;
        double u = 0;
        using (no_grad())
        {
            using var x = tensor(xv, 3, 3);
            using var g = new Generator(4);
            for (int s = 0; s < draws; s++) u += network.UnlabeledBound(x, 1.0, g).mean().item<float>() / draws;
        }

        var result = new float[3];
        model.ImportanceWeightedElbo(xv, 3, 16, result, seed: 9);
        double iw16 = result.Average();
        double.IsFinite(u).Should().BeTrue();
        iw16.Should().BeGreaterThan(u);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void A_saved_model_loads_with_its_kind_and_prior_and_scores_identically(string kind, string prior)
    {
        var table = ModelLifecycleTests.Table(40, 3, 1);
        var request = new TrainRequest { Kind = kind, Seed = 3, Sdgm = Options(Small, prior) with { Consistency = kind == "adgm" ? 0.1 : 0 }, TrainingDataHash = new string('a', 64) };
        using var model = (LatentModel)ConditionModelTrainer.Train(table, request);
        ModelDirectory.Save(_dir, model);
        using var loaded = (LatentModel)ModelDirectory.Load(_dir);

        loaded.Manifest.Kind.Should().Be(kind);
        loaded.Manifest.Prior.Should().Be(prior);
        (loaded is SdgmModel).Should().Be(kind == "sdgm");
        if (prior == "vamp") loaded.Manifest.Hyperparameters["pseudo_inputs"].Should().Be(5);
        if (kind == "adgm") loaded.Manifest.Hyperparameters["consistency"].Should().Be(0.1);
        loaded.Manifest.Threshold.Should().NotBeNull();
        var (p1, p2) = (new float[table.Rows * 3], new float[table.Rows * 3]);
        var (e1, e2) = (new float[table.Rows], new float[table.Rows]);
        var (z1, z2) = (new float[table.Rows * 6], new float[table.Rows * 6]);
        model.Score(table.Features, table.Rows, p1, e1, z1);
        loaded.Score(table.Features, table.Rows, p2, e2, z2);
        p2.Should().Equal(p1);
        e2.Should().Equal(e1);
        z2.Should().Equal(z1);
    }

    [Theory]
    [InlineData("sdgm")]
    [InlineData("m2")]
    [InlineData("cagem")]
    public void A_consistency_weight_of_zero_is_the_plain_objective(string kind)
    {
        var (x, y) = SyntheticClusters.Make(40, 3, 4, seed: 1);
        var set = new TrainingSet(x, 4, y, 3);
        var o = Small with { Epochs = 2 };
        Tensor[] Weights(SdgmOptions options) => SdgmTrainer.Train(set, options, new RandomSource(7),
            (d, k, g) => LatentNetworkFactory.Create(kind, d, k, options, g)).Network.Module.parameters().ToArray();

        var plain = Weights(o);
        var zero = Weights(o with { Consistency = 0 });
        var on = Weights(o with { Consistency = 0.5 });
        for (int i = 0; i < plain.Length; i++) zero[i].data<float>().ToArray().Should().Equal(plain[i].data<float>().ToArray());
        on.Zip(plain).Any(p => !p.First.data<float>().ToArray().SequenceEqual(p.Second.data<float>().ToArray())).Should().BeTrue("the term changes training when on");
    }

    [Fact]
    public void The_consistency_term_rewards_a_classifier_that_recognises_generated_rows()
    {
        // log q(y|x̂) ≤ 0 for every generated row, one per (class, draw), class-major.
        foreach (var kind in new[] { "sdgm", "m2", "adgm", "cagem" })
        {
            var network = LatentNetworkFactory.Create(kind, 3, 4, Small, new Generator(5));
            using var mode = no_grad();
            var values = network.ConsistencyLogLikelihood(3, new Generator(6)).data<float>().ToArray();
            values.Should().HaveCount(12).And.OnlyContain(v => v <= 0 && float.IsFinite(v), kind);
        }
    }

    [Theory]
    [InlineData("sdgm", "standard")]
    [InlineData("sdgm", "vamp")]
    [InlineData("cagem", "standard")]
    [InlineData("cagem", "vamp")]
    public void The_per_level_terms_add_up_to_the_importance_log_weights(string kind, string prior)
    {
        var network = (IHierarchicalLatentNetwork)LatentNetworkFactory.Create(kind, 3, 4, Options(Small, prior), new Generator(5));
        using var mode = no_grad();
        using var x = tensor(new[] { 0.1f, -0.2f, 0.3f, 1f, 0.5f, -1f }, 2, 3);
        var expected = network.ImportanceLogWeights(x, new Generator(6)).data<float>().ToArray();
        var t = network.Terms(x, new Generator(6));
        t.Levels.Select(l => l.Name).Should().Equal("z1", "z2");
        var sum = t.LogPx + t.LogPy;
        foreach (var level in t.Levels) sum = sum + level.LogP - level.LogQ;
        sum.data<float>().ToArray().Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-4f * Math.Max(1f, Math.Abs(b)));
        t.LogQy.shape.Should().Equal(8);
        var lower = network.Terms(x, new Generator(6), z1FromPrior: true);
        lower.Levels[0].LogP.data<float>().ToArray().Should().OnlyContain(v => float.IsFinite(v));
    }

    [Fact]
    public void Options_a_kind_does_not_support_are_refused_by_name()
    {
        var table = ModelLifecycleTests.Table(10, 2, 1);
        var vamp = () => ConditionModelTrainer.Train(table, new TrainRequest { Kind = "m2", Sdgm = Small with { Prior = LatentPrior.Vamp } });
        vamp.Should().Throw<ArgumentException>().WithMessage("*--prior vamp*sdgm and cagem*not m2*");
        var consistency = () => LatentNetworkFactory.Check(ModelKinds.Get("mlp"), Small with { Consistency = 1 });
        consistency.Should().Throw<ArgumentException>().WithMessage("*--consistency*not mlp*");
        var pseudo = () => (Small with { PseudoInputs = 4 }).Validate();
        pseudo.Should().Throw<ArgumentException>().WithMessage("*PseudoInputs*Vamp*");
    }
}
