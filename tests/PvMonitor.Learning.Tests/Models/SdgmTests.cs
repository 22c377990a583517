using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Tensors;
using PvMonitor.Learning.Training;

namespace PvMonitor.Learning.Tests.Models;

public class SdgmTests
{
    private static readonly SdgmOptions Small = new() { Z1 = 2, Z2 = 2, Hidden = 16, Epochs = 40, WarmupEpochs = 5, Patience = 0, LearningRate = 3e-3f, LabeledBatch = 32, UnlabeledBatch = 32 };

    [Fact]
    public void Importance_weighted_bounds_are_ordered_above_the_unlabeled_bound()
    {
        // In expectation: U(x) ≤ IW-1 (y summed exactly instead of weighted by q(y|z1,x)) ≤ IW-64 (tighter with more samples).
        // Averages over many draws keep the Monte-Carlo noise far below the gaps checked here.
        var random = new RandomSource(3);
        var net = new SdgmNetwork(3, 4, Small, random);
        var g = new Graph(gradients: false);
        float[] xv = [0.1f, -0.2f, 0.3f, 1f, 0.5f, -1f];
        var x = g.Input(xv, 2, 3);
        double u = 0;
        const int samples = 400;
        for (int s = 0; s < samples; s++) u += net.UnlabeledBound(g, x, 1f, random)[0] / samples;

        var model = new SdgmModel(net, new Standardizer([0, 0, 0], [1, 1, 1]), Manifest(3, 4));
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
    public void Objective_gradients_match_finite_differences()
    {
        // Tanh keeps the objective smooth, so central differences are exact to O(h²); ReLU kinks would make the check flaky.
        var opts = Small with { Hidden = 6, Activation = PvMonitor.Learning.Nn.Activation.Tanh };
        var net = new SdgmNetwork(3, 3, opts, new RandomSource(11));
        float[] xv = [0.3f, -0.7f, 1.2f, -0.4f, 0.9f, 0.1f];
        int[] labels = [2, 0];
        double Objective()
        {
            var g = new Graph(gradients: true);
            var x = g.Input(xv, 2, 3);
            var l = g.Mean(net.LabeledObjective(g, x, labels, 0.7f, 0.5f, new RandomSource(5)));
            var u = g.Mean(net.UnlabeledBound(g, x, 0.5f, new RandomSource(6)));
            return g.Add(l, u)[0];
        }

        var graph = new Graph(gradients: true);
        var xt = graph.Input(xv, 2, 3);
        var total = graph.Add(
            graph.Mean(net.LabeledObjective(graph, xt, labels, 0.7f, 0.5f, new RandomSource(5))),
            graph.Mean(net.UnlabeledBound(graph, xt, 0.5f, new RandomSource(6))));
        net.ZeroGrad();
        graph.Backward(total);

        int checkedCount = 0, kinks = 0;
        foreach (var (name, p) in net.NamedParameters())
        {
            var grad = p.Grad!.Span;
            for (int i = 0; i < p.Length; i += Math.Max(1, p.Length / 3))
            {
                float old = p.Span[i];
                double Central(float h)
                {
                    p.Span[i] = old + h;
                    double up = Objective();
                    p.Span[i] = old - h;
                    double down = Objective();
                    p.Span[i] = old;
                    return (up - down) / (2 * h);
                }

                double coarse = Central(4e-3f), fine = Central(2e-3f);
                // ReLU kinks make the difference quotient depend on the step; such points have no derivative to check.
                if (Math.Abs(coarse - fine) > 1e-2 + 1e-2 * Math.Abs(fine))
                {
                    kinks++;
                    continue;
                }

                Math.Abs(fine - grad[i]).Should().BeLessThan(1e-2 + 1e-2 * Math.Abs(fine), $"d/d {name}[{i}]");
                checkedCount++;
            }
        }

        kinks.Should().Be(0, "the tanh network is smooth everywhere");
        checkedCount.Should().BeGreaterThan(40);
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
        var model = new SdgmModel(network, std, Manifest(4, 3));

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
    public void Same_seed_gives_the_same_model_and_scores()
    {
        var (x, y) = SyntheticClusters.Make(50, 3, 4, seed: 1);
        var opts = Small with { Epochs = 3 };
        var (a, _) = SdgmTrainer.Train(new TrainingSet(x, 4, y, 3), opts, new RandomSource(7));
        var (b, _) = SdgmTrainer.Train(new TrainingSet(x, 4, y, 3), opts, new RandomSource(7));
        foreach (var ((name, pa), (_, pb)) in a.NamedParameters().Zip(b.NamedParameters()))
            pa.ToArray().Should().Equal(pb.ToArray(), name);
    }

    [Fact]
    public void Reconstruction_z_scores_point_at_the_corrupted_sensor()
    {
        var (x, y) = SyntheticClusters.Make(200, 3, 4, seed: 1);
        var std = Standardizer.Fit(x, y.Length, 4);
        var xs = new float[x.Length];
        std.Transform(x, xs);
        var (network, _) = SdgmTrainer.Train(new TrainingSet(xs, 4, y, 3), Small, new RandomSource(2));
        var model = new SdgmModel(network, std, Manifest(4, 3));
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
