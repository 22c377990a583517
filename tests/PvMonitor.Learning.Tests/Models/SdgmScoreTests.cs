using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Tests.Models;

public sealed class SdgmScoreTests : IDisposable
{
    // One feature, one-dimensional latents, one linear hidden unit: with every weight zero each Gaussian is N(bias, e^0)
    // (the log-variance sigmoid sits at the midpoint 0 of [−2, 2]), and p(x|z1,z2,y) can be wired to have mean z1.
    private static readonly SdgmOptions Tiny = new() { Z1 = 1, Z2 = 1, Hidden = 1, Layers = 1, Activation = HiddenActivation.Identity, LogVarMin = -2f, LogVarMax = 2f };

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"pvmon-scores-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>
    /// Zero weights except: q(z1|x) = N(<paramref name="posteriorMean"/>, 1), p(z1|y,z2) = N(<paramref name="priorMean"/>,
    /// e^v) with v = 0 or, when <paramref name="degeneratePrior"/>, the floor <see cref="SdgmOptions.LogVarMin"/>, and
    /// p(x|z1,z2,y) = N(z1, 1). q(y|z1,x) is uniform and q(z2|·) = p(z2) = N(0, 1), so KL(q(z2) ‖ p(z2)) = 0.
    /// </summary>
    private static SdgmNetwork Wired(SdgmOptions options, float posteriorMean, float priorMean, bool degeneratePrior = false)
    {
        var net = new SdgmNetwork(1, 2, options, new Generator(1));
        using (no_grad())
        {
            foreach (var p in net.parameters()) p.zero_();
            var named = net.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            named["q_z1.mean.bias"].fill_(posteriorMean);
            named["p_z1.mean.bias"].fill_(priorMean);
            if (degeneratePrior) named["p_z1.logvar.bias"].fill_(-60f); // sigmoid(−60) ≈ 1e-26: log-variance at the floor
            named["p_x.body.0.weight"][0, 0] = 1f; // hidden unit = z1 (input [z1, z2, y])
            named["p_x.mean.weight"].fill_(1f);   // E[x] = hidden unit = z1
        }

        return net;
    }

    private static double LogNormal(double x, double mean, double logVar) => -0.5 * (Math.Log(2 * Math.PI) + logVar + (x - mean) * (x - mean) / Math.Exp(logVar));

    [Fact]
    public void The_high_level_bound_matches_its_hand_computed_value_for_fixed_noise()
    {
        using var net = Wired(Tiny, posteriorMean: 2f, priorMean: -1f);
        float[] xv = [0.5f, -1.5f];
        using var x = tensor(xv, 2, 1);
        var actual = net.HighLevelBound(x, new Generator(42)).data<float>().ToArray();

        // Replay the documented draw order: z1_q (B × Z1), z2 ((B·K) × Z2), z1_p ((B·K) × Z1).
        var g = new Generator(42);
        var epsQ = randn([2, 1], generator: g).data<float>().ToArray();
        var epsZ2 = randn([4, 1], generator: g).data<float>().ToArray();
        var epsP = randn([4, 1], generator: g).data<float>().ToArray();
        epsQ.Should().HaveCount(2);
        epsZ2.Should().HaveCount(4);

        // L^{>1} = Σ_y ½·[log N(x; z1_p(y), 1) − KL(= 0) + log ½] + H(uniform) = ½ Σ_y log N(x; −1 + ε_p(y), 1).
        for (int i = 0; i < 2; i++)
        {
            double expected = 0;
            for (int y = 0; y < 2; y++) expected += 0.5 * LogNormal(xv[i], -1 + epsP[i * 2 + y], 0);
            actual[i].Should().BeApproximately((float)expected, 1e-5f);
        }
    }

    [Fact]
    public void With_a_degenerate_prior_the_likelihood_is_taken_at_the_priors_z1_not_the_posteriors()
    {
        var floor = Tiny with { LogVarMin = -20f, LogVarMax = 20f }; // midpoint 0 still: every other Gaussian keeps unit variance
        using var net = Wired(floor, posteriorMean: 3f, priorMean: -1f, degeneratePrior: true);
        using var moved = Wired(floor, posteriorMean: -5f, priorMean: -1f, degeneratePrior: true);
        using var x = tensor(new[] { -1f, 3f }, 2, 1);
        for (ulong seed = 1; seed <= 5; seed++)
        {
            var lk = net.HighLevelBound(x, new Generator(seed)).data<float>().ToArray();
            // p(z1|y,z2) is (almost) a point mass at −1, so p(x|z1_p,·) = N(x; −1, 1) whatever the noise.
            lk[0].Should().BeApproximately((float)LogNormal(-1, -1, 0), 1e-3f, "x at the prior's z1 is likely");
            lk[1].Should().BeApproximately((float)LogNormal(3, -1, 0), 1e-3f, "x at the posterior's z1 (3) is not, under L^{>1}");
            // Moving q(z1|x) changes nothing: z1_q only conditions q(y|·) and q(z2|·), which ignore it here.
            moved.HighLevelBound(x, new Generator(seed)).data<float>().ToArray().Should().Equal(lk);
        }

        // U(x) takes the likelihood at z1_q ~ q(z1|x) = N(3, 1) instead, so it prefers x = 3 over x = −1 where L^{>1} does not.
        using (no_grad())
        {
            var u = net.UnlabeledParts(x, net.EncodeZ1(x), 1.0, new Generator(3));
            var decoderMean = u.DecoderMean.data<float>().ToArray();
            decoderMean.Average().Should().BeGreaterThan(0f, "U's decoder is fed posterior samples around 3");
        }
    }

    [Fact]
    public void The_model_computes_every_score_deterministically_and_lk_through_the_network()
    {
        var (x, y) = SyntheticClusters.Make(30, 3, 4, seed: 2);
        var network = new SdgmNetwork(4, 3, new SdgmOptions { Z1 = 2, Z2 = 2, Hidden = 8 }, new Generator(3));
        using var model = new SdgmModel(network, new Standardizer([0, 0, 0, 0], [1, 1, 1, 1]), SdgmTests.Manifest(4, 3));
        foreach (var score in AnomalyScores.All)
        {
            model.Supports(score).Should().BeTrue();
            var a = new float[y.Length];
            var b = new float[y.Length];
            model.ScoreAnomaly(score, x, y.Length, a);
            model.ScoreAnomaly(score, x, y.Length, b);
            a.Should().OnlyContain(v => float.IsFinite(v), AnomalyScores.Name(score));
            b.Should().Equal(a, "the same batch gets the same noise");
        }

        var elbo = new float[y.Length];
        model.Score(x, y.Length, new float[y.Length * 3], elbo, default);
        var viaScore = new float[y.Length];
        model.ScoreAnomaly(AnomalyScore.Elbo, x, y.Length, viaScore);
        viaScore.Should().Equal(elbo);
    }

    [Fact]
    public void Training_calibrates_a_threshold_per_score_and_the_manifest_keeps_them()
    {
        var table = ModelLifecycleTests.Table(60, 3, 1);
        var request = new TrainRequest
        {
            Kind = "sdgm",
            Seed = 3,
            Sdgm = new SdgmOptions { Z1 = 2, Z2 = 2, Hidden = 16, Epochs = 8, LearningRate = 3e-3f, Patience = 0, ThresholdPercentile = 5 },
            TrainingDataHash = new string('a', 64),
        };
        var model = (SdgmModel)ConditionModelTrainer.Train(table, request);

        model.Manifest.Thresholds.Should().NotBeNull();
        model.Manifest.Thresholds!.Keys.Should().BeEquivalentTo(["elbo", "iw-elbo", "lk"]);
        foreach (var score in AnomalyScores.All)
        {
            // Every training row was used (ThresholdRows > rows), in order: the same batch, the same noise, the same scores.
            var values = new float[table.Rows];
            model.ScoreAnomaly(score, table.Features, table.Rows, values);
            var t = model.Manifest.ThresholdOf(score)!;
            t.Value.Should().BeApproximately(RankStatistics.Percentile(values, 5), 1e-4, AnomalyScores.Name(score));
            t.Percentile.Should().Be(5);
            values.Count(v => v < t.Value).Should().BeInRange(1, 12, "about 5 % of 180 rows fall below the 5th percentile");
        }

        model.Manifest.ThresholdOf(AnomalyScore.IwElbo)!.Samples.Should().Be(AnomalyScores.ImportanceSamples);
        model.Manifest.Threshold!.Elbo.Should().Be(model.Manifest.ThresholdOf(AnomalyScore.Elbo)!.Value, "the legacy field stays the ELBO's");

        ModelDirectory.Save(_dir, model);
        var loaded = ModelDirectory.Load(_dir);
        loaded.Manifest.Thresholds.Should().BeEquivalentTo(model.Manifest.Thresholds);
        File.ReadAllText(Path.Combine(_dir, ModelManifestFile.FileName)).Should().Contain("\"thresholds\"").And.Contain("\"iw-elbo\"");

        var mlp = ConditionModelTrainer.Train(table, request with { Kind = "mlp" });
        mlp.Manifest.Thresholds.Should().BeNull();
        mlp.Manifest.ThresholdOf(AnomalyScore.Elbo).Should().BeNull();
    }

    [Fact]
    public void A_manifest_from_before_per_score_thresholds_has_only_the_elbo_threshold()
    {
        var json = """
            {
              "formatVersion": 2, "kind": "sdgm", "version": "old", "created": "2026-01-01T00:00:00+00:00",
              "features": ["I"], "normalisation": { "mean": [0], "std": [1] }, "classes": ["NOR"],
              "hyperparameters": {}, "seed": 1, "trainingDataHash": "", "metrics": {},
              "threshold": { "elbo": -12.5, "percentile": 0.5 }
            }
            """;
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var manifest = ModelManifestFile.Read(stream, "old.json");

        manifest.Thresholds.Should().BeNull();
        manifest.ThresholdOf(AnomalyScore.Elbo).Should().Be(new ScoreThreshold(-12.5, 0.5));
        manifest.ThresholdOf(AnomalyScore.IwElbo).Should().BeNull();
        manifest.ThresholdOf(AnomalyScore.Lk).Should().BeNull();
    }

    [Theory]
    [InlineData("elbo", AnomalyScore.Elbo)]
    [InlineData(" IW-ELBO ", AnomalyScore.IwElbo)]
    [InlineData("lk", AnomalyScore.Lk)]
    public void Score_names_parse_and_round_trip(string name, AnomalyScore expected)
    {
        AnomalyScores.Parse(name).Should().Be(expected);
        AnomalyScores.Parse(AnomalyScores.Name(expected)).Should().Be(expected);
        var bad = () => AnomalyScores.Parse("elbo2");
        bad.Should().Throw<ArgumentException>().WithMessage("*elbo, iw-elbo, lk*");
    }
}
