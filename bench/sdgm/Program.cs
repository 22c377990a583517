using System.Diagnostics;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Tensors;
using PvMonitor.Learning.Training;
using PvMonitor.Simulation;

// SDGM speed benchmark (issue 5 targets: ≤ 1 s per training epoch on 12,000 rows; evaluate ≥ 100,000 samples/s for the
// full K-class ELBO plus class posterior). Data: the simulated plant ('paper' conditions), complex inputs, K = 10.
// Usage: dotnet run -c Release --project bench/sdgm [-- EPOCHS REPS]
int epochs = args.Length > 0 ? int.Parse(args[0]) : 6;
int reps = args.Length > 1 ? int.Parse(args[1]) : 5;

var csv = new StringWriter();
await PlantSimulation.WriteCsvAsync(new SimulationOptions { Days = 60, Seed = 7 }, csv);
var table = CsvTableReader.Read(new StringReader(csv.ToString()), FeatureSets.Complex, "label");
var rows = Sampling.Permutation(table.Rows, new RandomSource(3))[..Math.Min(12_000, table.Rows)];
var data = table.Select(rows);
Console.WriteLine($"data: {data.Rows} rows × {data.FeatureCount} features, {data.DistinctLabels().Count} classes; {Environment.ProcessorCount} cores");

// Training epochs: default SDGM options (2×50 ReLU, batches 100 + 100·K), fully labeled, no validation hold-out.
var epochSeconds = new List<double>();
var options = new SdgmOptions { Epochs = 1, ValidationFraction = 0, Patience = 0 };
var classes = ConditionModelTrainer.OrderClasses(data.DistinctLabels(), []);
var std = Standardizer.Fit(data.Features, data.Rows, data.FeatureCount);
var x = new float[data.Features.Length];
std.Transform(data.Features, x);
var set = new TrainingSet(x, data.FeatureCount, new LabelEncoding(classes).Encode(data.Labels), classes.Count);
SdgmTrainer.Train(set, options, new RandomSource(1)); // warm-up (JIT)
SdgmNetwork? network = null;
for (int e = 0; e < epochs; e++)
{
    var sw = Stopwatch.StartNew();
    (network, _) = SdgmTrainer.Train(set, options, new RandomSource((ulong)e + 2));
    epochSeconds.Add(sw.Elapsed.TotalSeconds);
}

Console.WriteLine($"train epoch (12,000 rows, 1 epoch incl. validation pass): median {Median(epochSeconds):0.000} s  [{string.Join(", ", epochSeconds.Select(s => s.ToString("0.000")))}]");

// Scoring: class posterior + full K-class ELBO per row.
var manifest = new ModelManifest
{
    Kind = "sdgm", Version = "bench", Created = DateTimeOffset.UnixEpoch, Features = FeatureSets.Complex,
    Normalisation = new NormalisationInfo(std.Mean, std.Std), Classes = classes, Hyperparameters = new Dictionary<string, double>(),
    Seed = 1, TrainingDataHash = "", Metrics = new Dictionary<string, double>(),
};
var model = new SdgmModel(network!, std, manifest);
foreach (int threads in new[] { 1, Environment.ProcessorCount })
{
    var rates = new List<double>();
    var probs = new float[table.Rows * classes.Count];
    var elbo = new float[table.Rows];
    for (int r = 0; r < reps; r++) rates.Add(ModelEvaluator.ScoreAll(model, table, probs, elbo, threads));
    Console.WriteLine($"score posterior + ELBO, {threads} thread(s): median {Median(rates):N0} samples/s  [{string.Join(", ", rates.Select(v => v.ToString("N0")))}]");
}

static double Median(List<double> v)
{
    var s = v.Order().ToArray();
    return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
}
