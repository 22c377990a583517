using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Training;
using Xunit.Abstractions;

namespace PvMonitor.Learning.Tests.Models.Latent;

public class LatentAccuracyTests(ITestOutputHelper output)
{
    internal static readonly SdgmOptions Small = new() { Z1 = 2, Z2 = 2, Hidden = 16, Epochs = 30, WarmupEpochs = 5, Patience = 0, LearningRate = 3e-3f, LabeledBatch = 32, UnlabeledBatch = 64 };

    [Theory]
    [InlineData("sdgm", "standard", 0.0)]
    [InlineData("m2", "standard", 0.0)]
    [InlineData("adgm", "standard", 0.0)]
    [InlineData("cagem", "standard", 0.0)]
    [InlineData("sdgm", "vamp", 0.0)]
    [InlineData("cagem", "vamp", 0.0)]
    [InlineData("m2", "standard", 0.1)]
    public void Measure(string kind, string prior, double consistency)
    {
        var (x, y) = Noisy(SyntheticClusters.Make(150, 4, 4, seed: 21), 31);
        var names = new[] { "a", "b", "c", "d" };
        var train = new TabularData(x, y.Length, names, y.Select(c => (string?)$"C{c}").ToArray());
        var (tx, ty) = Noisy(SyntheticClusters.Make(100, 4, 4, seed: 22), 32);
        var test = new TabularData(tx, ty.Length, names, ty.Select(c => (string?)$"C{c}").ToArray());
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var options = Small with { Prior = ModelHyperparameters.ParsePrior(prior), PseudoInputs = prior == "vamp" ? 20 : null, Consistency = consistency };
        using var model = (IDisposable)ConditionModelTrainer.Train(train, new TrainRequest { Kind = kind, Seed = 5, Sdgm = options, LabelsPerClass = 5 });
        var acc = ModelEvaluator.Evaluate((IConditionModel)model, test, []).Accuracy;
        output.WriteLine($"{kind} {prior} {consistency}: accuracy {acc:0.0000} in {sw.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>The clusters with extra N(0, 1.2²) noise per value: they overlap, so the accuracy is well below 1.</summary>
    internal static (float[] X, int[] Y) Noisy((float[] X, int[] Y) data, ulong seed)
    {
        var r = new RandomSource(seed);
        var x = data.X.Select(v => v + 1.2f * r.NextNormal()).ToArray();
        return (x, data.Y);
    }
}
