using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Training;
using Xunit.Abstractions;

namespace PvMonitor.Learning.Tests.Models.Latent;

/// <summary>
/// Regression guards: each latent kind trained on a fixed simulated split (4 overlapping Gaussian clusters in 4 dimensions,
/// 150 training rows per class of which 5 labelled, seed 5; 100 test rows per class) must reach a floor set a few points
/// below what it measured.
/// </summary>
public class LatentAccuracyTests(ITestOutputHelper output)
{
    private static readonly SdgmOptions Small = new() { Z1 = 2, Z2 = 2, Hidden = 16, Epochs = 30, WarmupEpochs = 5, Patience = 0, LearningRate = 3e-3f, LabeledBatch = 32, UnlabeledBatch = 64 };
    private static readonly string[] Names = ["a", "b", "c", "d"];

    private static TabularData Split(int perClass, ulong seed, ulong noiseSeed, bool noisy = true)
    {
        var (x, y) = SyntheticClusters.Make(perClass, 4, 4, seed);
        if (noisy) (x, y) = Noisy((x, y), noiseSeed);
        return new TabularData(x, y.Length, Names, y.Select(c => (string?)$"C{c}").ToArray());
    }

    private static IConditionModel Train(string kind, string prior, double consistency, int? labelsPerClass, bool noisy = true, SdgmOptions? options = null) =>
        ConditionModelTrainer.Train(Split(150, 21, 31, noisy), new TrainRequest
        {
            Kind = kind,
            Seed = 5,
            Sdgm = (options ?? Small) with { Prior = ModelHyperparameters.ParsePrior(prior), PseudoInputs = prior == "vamp" ? 20 : null, Consistency = consistency },
            LabelsPerClass = labelsPerClass,
        });

    // Measured on this split (test accuracy): sdgm 0.8125, sdgm+vamp 0.7950, m2 0.8100, m2+consistency 0.1 0.8100,
    // adgm 0.8375, cagem 0.8075, cagem+vamp 0.8000. The clusters overlap (extra noise σ = 1.2), so no model is near 1.
    [Theory]
    [InlineData("sdgm", "standard", 0.0, 0.76)]
    [InlineData("sdgm", "vamp", 0.0, 0.74)]
    [InlineData("m2", "standard", 0.0, 0.76)]
    [InlineData("m2", "standard", 0.1, 0.76)]
    [InlineData("adgm", "standard", 0.0, 0.78)]
    [InlineData("cagem", "standard", 0.0, 0.75)]
    [InlineData("cagem", "vamp", 0.0, 0.75)]
    public void Each_kind_reaches_its_measured_accuracy_with_five_labels_per_class(string kind, string prior, double consistency, double floor)
    {
        using var model = (IDisposable)Train(kind, prior, consistency, 5);
        var accuracy = ModelEvaluator.Evaluate((IConditionModel)model, Split(100, 22, 32), []).Accuracy;
        output.WriteLine($"{kind} prior {prior} consistency {consistency}: accuracy {accuracy:0.0000}");
        accuracy.Should().BeGreaterThan(floor);
    }

    // Measured: purity 0.7450 of cagem's 4 clusters against the 4 true classes with no labels at all, on the well-separated
    // clusters (no extra noise; 60 epochs, no warm-up): three clusters used, two classes merged — chance is 0.25. With the
    // 30-epoch, 5-epoch warm-up settings above it found only 2 clusters (purity 0.50).
    [Fact]
    public void A_cagem_without_labels_learns_clusters_that_follow_the_classes()
    {
        using var model = (IDisposable)Train("cagem", "standard", 0, 0, noisy: false, Small with { Epochs = 60, WarmupEpochs = 0 });
        var condition = (IConditionModel)model;
        condition.Manifest.Metrics["labeled_rows"].Should().Be(0);
        var test = Split(100, 22, 32, noisy: false);
        var probs = new float[test.Rows * 4];
        condition.Score(test.Features, test.Rows, probs, default, default);
        // Purity: each cluster votes for its most frequent true class.
        var counts = new int[4, 4];
        for (int i = 0; i < test.Rows; i++) counts[SdgmTrainer.ArgMax(probs.AsSpan(i * 4, 4)), int.Parse(test.Labels[i]![1..])]++;
        double purity = Enumerable.Range(0, 4).Sum(c => Enumerable.Range(0, 4).Max(t => counts[c, t])) / (double)test.Rows;
        output.WriteLine($"cagem without labels: purity {purity:0.0000}");
        purity.Should().BeGreaterThan(0.6);
    }

    /// <summary>The clusters with extra N(0, 1.2²) noise per value: they overlap, so the accuracy is well below 1.</summary>
    internal static (float[] X, int[] Y) Noisy((float[] X, int[] Y) data, ulong seed)
    {
        var r = new RandomSource(seed);
        var x = data.X.Select(v => v + 1.2f * r.NextNormal()).ToArray();
        return (x, data.Y);
    }
}
