using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Tests.Models;

public class SdgmTests
{
    private static readonly SdgmOptions Small = new() { Z1 = 2, Z2 = 2, Hidden = 16, Epochs = 40, WarmupEpochs = 5, Patience = 0, LearningRate = 3e-3f, LabeledBatch = 32, UnlabeledBatch = 32 };

    [Fact]
    public void A_network_seeded_from_a_parent_with_fewer_classes_computes_the_parents_values_for_the_old_classes()
    {
        using var parent = new SdgmNetwork(3, 3, Small, new Generator(1));
        using var child = new SdgmNetwork(3, 5, Small, new Generator(2));
        child.InitialiseFrom(parent);
        using var x = tensor(new float[] { 0.1f, -0.2f, 0.3f, 1f, 0.5f, -1f, -0.7f, 0.2f, 2f }, 3, 3);
        using var labels = tensor(new long[] { 2, 0, 1 });

        using (no_grad())
        {
            // q(y|z1,x): the old classes' logits are the parent's (the new ones are extra outputs).
            var expected = parent.forward(x).data<float>().ToArray();
            child.forward(x)[.., ..3].contiguous().data<float>().ToArray().Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-5f);
            // F(x, y) for an old class: the same Monte-Carlo draws give the parent's value, except log p(y) = −log K.
            // This fails if p(z1|y,z2)'s z2 columns (after y) were not moved right by the added classes.
            var fParent = parent.LabeledObjective(x, labels, alpha: 0, klWeight: 1, new Generator(9)).data<float>().ToArray();
            var fChild = child.LabeledObjective(x, labels, alpha: 0, klWeight: 1, new Generator(9)).data<float>().ToArray();
            for (var i = 0; i < 3; i++) fChild[i].Should().BeApproximately((float)(fParent[i] + Math.Log(3) - Math.Log(5)), 1e-4f);
        }

        using var other = new SdgmNetwork(4, 5, Small, new Generator(3));
        var act = () => other.InitialiseFrom(parent);
        act.Should().Throw<ArgumentException>().WithMessage("*features*");
    }

    [Fact]
    public void Fine_tuning_keeps_the_parents_scaling_and_classes_first_and_learns_an_added_class()
    {
        var (x, y) = SyntheticClusters.Make(80, 4, 6, seed: 3);
        var first = new TabularData(x, y.Length, ["a", "b", "c", "d", "e", "f"], y.Select(c => c < 3 ? (string?)$"C{c}" : null).ToArray());
        var request = new TrainRequest { Kind = "sdgm", Seed = 1, Sdgm = Small with { Epochs = 30 }, TrainingDataHash = new string('a', 64) };
        var parent = ConditionModelTrainer.Train(first, request);
        var all = new TabularData(x, y.Length, first.FeatureNames, y.Select(c => (string?)$"C{c}").ToArray());

        var child = ConditionModelTrainer.Train(all, request with { Parent = parent, Sdgm = Small with { Epochs = 15 }, PreferredClassOrder = ["C3", "C2", "C1", "C0"] });

        child.Classes.Should().Equal("C0", "C1", "C2", "C3");
        child.Manifest.Normalisation.Should().Be(parent.Manifest.Normalisation);
        child.Manifest.InitialisedFrom.Should().Be(parent.Manifest.Version);
        child.Manifest.Hyperparameters["warmup_epochs"].Should().Be(0);
        ModelEvaluator.Evaluate(child, all, []).Accuracy.Should().BeGreaterThan(0.9);
        var mlr = () => ConditionModelTrainer.Train(all, request with { Kind = "mlr", Parent = parent });
        mlr.Should().Throw<ArgumentException>().WithMessage("*same kind*");
    }

    [Fact]
    public void The_bounds_of_a_zero_weight_network_match_their_closed_form()
    {
        // With every weight and bias zero each Gaussian is N(0, e^c), c = (min + max)/2 (the sigmoid's midpoint), and
        // q(y|z1,x) is uniform. Then log p(z1|y,z2) − log q(z1|x) = 0 for any sample, the entropy cancels log p(y), and
        // U(x) = log N(x; 0, e^c) − KL(N(0, e^c) ‖ N(0, 1)) exactly; L(x, y) = U(x) − log K − α·log K.
        var options = Small with { Z2 = 3, LogVarMin = -6f, LogVarMax = 2f };
        using var net = new SdgmNetwork(3, 4, options, new Generator(1));
        using (no_grad())
            foreach (var p in net.parameters()) p.zero_();
        float[] xv = [0.1f, -0.2f, 0.3f, 1f, 0.5f, -1f];
        using var x = tensor(xv, 2, 3);
        using var g = new Generator(5);
        var u = net.UnlabeledBound(x, 1.0, g).data<float>().ToArray();
        var l = net.LabeledObjective(x, tensor(new long[] { 2, 0 }), alpha: 0.7, klWeight: 1.0, g).data<float>().ToArray();

        double c = (options.LogVarMin + options.LogVarMax) / 2.0;
        double kl = 0.5 * options.Z2 * (Math.Exp(c) - 1 - c);
        for (int i = 0; i < 2; i++)
        {
            double logPx = 0;
            for (int j = 0; j < 3; j++) logPx += -0.5 * (Math.Log(2 * Math.PI) + c + xv[i * 3 + j] * xv[i * 3 + j] / Math.Exp(c));
            u[i].Should().BeApproximately((float)(logPx - kl), 1e-4f);
            l[i].Should().BeApproximately((float)(logPx - kl - Math.Log(4) - 0.7 * Math.Log(4)), 1e-4f);
        }
    }

    [Fact]
    public void Every_network_gets_a_gradient_from_the_objective()
    {
        using var net = new SdgmNetwork(3, 3, Small, new Generator(11));
        using var x = tensor(new[] { 0.3f, -0.7f, 1.2f, -0.4f, 0.9f, 0.1f }, 2, 3);
        using var g = new Generator(5);
        var objective = net.LabeledObjective(x, tensor(new long[] { 2, 0 }), 0.7, 0.5, g).mean() + net.UnlabeledBound(x, 0.5, g).mean();
        objective.backward();
        var prefixes = net.named_parameters().Where(p => p.parameter.grad is { } grad && grad.abs().sum().item<float>() > 0)
            .Select(p => p.name.Split('.')[0]).Distinct().ToArray();
        prefixes.Should().BeEquivalentTo(["q_z1", "q_y", "q_z2", "p_z1", "p_x"]);
    }

    [Fact]
    public void Importance_weighted_bounds_are_ordered_above_the_unlabeled_bound()
    {
        // In expectation: U(x) ≤ IW-1 (y summed exactly instead of weighted by q(y|z1,x)) ≤ IW-64 (tighter with more samples).
        // Averages over many draws keep the Monte-Carlo noise far below the gaps checked here.
        var net = new SdgmNetwork(3, 4, Small, new Generator(3));
        float[] xv = [0.1f, -0.2f, 0.3f, 1f, 0.5f, -1f];
        double u = 0;
        const int samples = 400;
        using (no_grad())
        {
            using var x = tensor(xv, 2, 3);
            using var g = new Generator(4);
            for (int s = 0; s < samples; s++) u += net.UnlabeledBound(x, 1.0, g)[0].item<float>() / samples;
        }

        using var model = new SdgmModel(net, new Standardizer([0, 0, 0], [1, 1, 1]), Manifest(3, 4));
        var result = new float[2];
        double iw1 = 0;
        for (ulong seed = 1; seed <= samples; seed++)
        {
            model.ImportanceWeightedElbo(xv, 2, 1, result, seed);
            iw1 += result[0] / samples;
        }

        model.ImportanceWeightedElbo(xv, 2, 64, result, seed: 9);
        double iw64 = result[0];
        double.IsFinite(u).Should().BeTrue();
        iw1.Should().BeGreaterThan(u);
        iw64.Should().BeGreaterThan(iw1);
    }

    [Fact]
    public void Scores_give_posteriors_that_sum_to_one_and_a_finite_elbo_for_every_row()
    {
        using var model = new SdgmModel(new SdgmNetwork(4, 3, Small, new Generator(2)), new Standardizer([1, 2, 3, 4], [1, 2, 1, 0.5f]), Manifest(4, 3));
        var (x, y) = SyntheticClusters.Make(700, 3, 4, seed: 3); // 2,100 rows: more than one scoring chunk
        var probs = new float[y.Length * 3];
        var elbo = new float[y.Length];
        var z = new float[y.Length * 4];
        model.Score(x, y.Length, probs, elbo, z);
        for (int i = 0; i < y.Length; i++) probs.AsSpan(i * 3, 3).ToArray().Sum().Should().BeApproximately(1f, 1e-5f);
        elbo.Should().OnlyContain(e => float.IsFinite(e));
        z.Should().OnlyContain(e => float.IsFinite(e));
    }

    [Fact]
    public void Learns_separable_clusters_and_gives_unseen_clusters_a_lower_elbo()
    {
        var (x, y) = SyntheticClusters.Make(200, 3, 4, seed: 1);
        var std = Standardizer.Fit(x, y.Length, 4);
        var xs = new float[x.Length];
        std.Transform(x, xs);
        var (network, outcome) = SdgmTrainer.Train(new TrainingSet(xs, 4, y, 3), Small, new RandomSource(2));
        outcome.EpochsRun.Should().Be(40);
        using var model = new SdgmModel(network, std, Manifest(4, 3));

        var (tx, ty) = SyntheticClusters.Make(100, 3, 4, seed: 9);
        var probs = new float[ty.Length * 3];
        var elboSeen = new float[ty.Length];
        model.Score(tx, ty.Length, probs, elboSeen, default);
        var predicted = Enumerable.Range(0, ty.Length).Select(i => SdgmTrainer.ArgMax(probs.AsSpan(i * 3, 3))).ToArray();
        ClassificationReport.Compute(ty, predicted, 3).Accuracy.Should().BeGreaterThan(0.95);

        var (ux, uy) = SyntheticClusters.Make(100, 1, 4, seed: 10, firstClass: 3); // a fourth cluster the model never saw
        var elboUnseen = new float[uy.Length];
        model.Score(ux, uy.Length, new float[uy.Length * 3], elboUnseen, default);
        var scores = elboSeen.Concat(elboUnseen).Select(e => -e).ToArray();
        var positive = elboSeen.Select(_ => false).Concat(elboUnseen.Select(_ => true)).ToArray();
        RankStatistics.Auroc(scores, positive).Should().BeGreaterThan(0.95);
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_weights_and_scores()
    {
        var (x, y) = SyntheticClusters.Make(50, 3, 4, seed: 1);
        var opts = Small with { Epochs = 3 };
        var (a, _) = SdgmTrainer.Train(new TrainingSet(x, 4, y, 3), opts, new RandomSource(7));
        var (b, _) = SdgmTrainer.Train(new TrainingSet(x, 4, y, 3), opts, new RandomSource(7));
        var (c, _) = SdgmTrainer.Train(new TrainingSet(x, 4, y, 3), opts, new RandomSource(8));
        var sa = a.state_dict();
        var sb = b.state_dict();
        sa.Keys.Should().Equal(sb.Keys);
        foreach (var name in sa.Keys) sa[name].data<float>().ToArray().Should().Equal(sb[name].data<float>().ToArray(), name);
        c.state_dict()["q_y.0.weight"].data<float>().ToArray().Should().NotEqual(sa["q_y.0.weight"].data<float>().ToArray(), "another seed gives another model");

        var std = new Standardizer([0, 0, 0, 0], [1, 1, 1, 1]);
        using var ma = new SdgmModel(a, std, Manifest(4, 3));
        using var mb = new SdgmModel(b, std, Manifest(4, 3));
        var (ea, eb) = (new float[y.Length], new float[y.Length]);
        ma.Score(x, y.Length, new float[y.Length * 3], ea, default);
        mb.Score(x, y.Length, new float[y.Length * 3], eb, default);
        ea.Should().Equal(eb);
    }

    [Fact]
    public void Reconstruction_z_scores_point_at_the_corrupted_sensor()
    {
        var (x, y) = SyntheticClusters.Make(200, 3, 4, seed: 1);
        var std = Standardizer.Fit(x, y.Length, 4);
        var xs = new float[x.Length];
        std.Transform(x, xs);
        var (network, _) = SdgmTrainer.Train(new TrainingSet(xs, 4, y, 3), Small, new RandomSource(2));
        using var model = new SdgmModel(network, std, Manifest(4, 3));
        // Corrupt sensor 2 of several rows far outside its range; averaged over the rows, its z-score must dominate.
        const int rows = 8;
        var samples = x.AsSpan(0, rows * 4).ToArray();
        for (int r = 0; r < rows; r++) samples[r * 4 + 2] += 12f;
        var z = new float[rows * 4];
        model.Score(samples, rows, new float[rows * 3], new float[rows], z);
        var meanAbs = Enumerable.Range(0, 4).Select(j => Enumerable.Range(0, rows).Average(r => Math.Abs(z[r * 4 + j]))).ToArray();
        Array.IndexOf(meanAbs, meanAbs.Max()).Should().Be(2);
        meanAbs[2].Should().BeGreaterThan(3 * meanAbs.Where((_, j) => j != 2).Max());
    }

    [Fact]
    public void Training_on_one_class_selects_a_trained_epoch_by_validation_elbo()
    {
        var (x, y) = SyntheticClusters.Make(300, 1, 4, seed: 4);
        var (_, outcome) = SdgmTrainer.Train(new TrainingSet(x, 4, y, 1), Small with { Epochs = 12 }, new RandomSource(3));
        outcome.BestEpoch.Should().BeGreaterThan(1, "the ELBO improves after the first epoch");
    }

    internal static ModelManifest Manifest(int features, int classes) => new()
    {
        Kind = "sdgm",
        Version = "test",
        Created = DateTimeOffset.UnixEpoch,
        Features = Enumerable.Range(0, features).Select(i => $"f{i}").ToArray(),
        Normalisation = new NormalisationInfo(new float[features], Enumerable.Repeat(1f, features).ToArray()),
        Classes = Enumerable.Range(0, classes).Select(i => $"c{i}").ToArray(),
        Hyperparameters = new Dictionary<string, double>(),
        Seed = 1,
        TrainingDataHash = "",
        Metrics = new Dictionary<string, double>(),
    };
}
