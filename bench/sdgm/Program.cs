using System.Diagnostics;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Torch;
using PvMonitor.Learning.Training;
using PvMonitor.Simulation;

// SDGM speed on TorchSharp (issue 12 targets: ≤ 1.2 s per training epoch on 12,000 rows on 2 cores; scoring ≥ 100,000
// samples/s at batch ≥ 512 for the class posterior plus the full K-class ELBO). Data: the simulated plant, complex
// inputs, K = 10, the first 12,000 rows of a shuffled 60-day simulation (also written to bench-sdgm-12k.csv for the
// PyTorch reference, bench/sdgm/sdgm_reference.py).
// Usage: dotnet bench/sdgm/bin/Release/net10.0/PvMonitor.Bench.Sdgm.dll [EPOCHS] [REPS] [THREADS] [CSV-OUT|-] [SOAK-SECONDS]
// SOAK-SECONDS > 0: afterwards score batches of 512 rows (as the worker does) for that long and print the process RSS at
// 10 %, 50 %, 90 % and 100 % of the time (memory must stay flat: every tensor is disposed per call).
int epochs = args.Length > 0 ? int.Parse(args[0]) : 5;
int reps = args.Length > 1 ? int.Parse(args[1]) : 5;
int threads = args.Length > 2 ? int.Parse(args[2]) : 2;
string? csvOut = args.Length > 3 && args[3] != "-" ? args[3] : null;
int soakSeconds = args.Length > 4 ? int.Parse(args[4]) : 0;
TorchRuntime.SetThreads(threads);

var csv = new StringWriter();
await PlantSimulation.WriteCsvAsync(new SimulationOptions { Days = 60, Seed = 7 }, csv);
var table = CsvTableReader.Read(new StringReader(csv.ToString()), FeatureSets.Complex, "label");
var rows = Sampling.Permutation(table.Rows, new RandomSource(3))[..Math.Min(12_000, table.Rows)];
var data = table.Select(rows);
if (csvOut is not null)
{
    using var w = new StreamWriter(csvOut);
    w.WriteLine(string.Join(",", data.FeatureNames) + ",label");
    for (int i = 0; i < data.Rows; i++)
        w.WriteLine(string.Join(",", data.Features.AsSpan(i * 6, 6).ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "," + data.Labels[i]);
}

Console.WriteLine($"data: {data.Rows} rows × {data.FeatureCount} features, {data.DistinctLabels().Count} classes; {Environment.ProcessorCount} cores, libtorch threads {TorchRuntime.Threads}");

// Training epochs: default SDGM options (2×50 ReLU, batches 100 + 100·K), fully labeled, no validation hold-out.
var options = new SdgmOptions { Epochs = 1, ValidationFraction = 0, Patience = 0 };
var classes = ConditionModelTrainer.OrderClasses(data.DistinctLabels(), []);
var std = Standardizer.Fit(data.Features, data.Rows, data.FeatureCount);
var x = new float[data.Features.Length];
std.Transform(data.Features, x);
var set = new TrainingSet(x, data.FeatureCount, new LabelEncoding(classes).Encode(data.Labels), classes.Count);
SdgmTrainer.Train(set, options, new RandomSource(1)).Network.Dispose(); // warm-up (JIT, allocator)
var epochSeconds = new List<double>();
var epochCpu = new List<double>();
SdgmNetwork? network = null;
for (int e = 0; e < epochs; e++)
{
    network?.Dispose();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    (network, _) = SdgmTrainer.Train(set, options, new RandomSource((ulong)e + 2));
    epochSeconds.Add(sw.Elapsed.TotalSeconds);
    epochCpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
}

Console.WriteLine($"train epoch (12,000 rows, 1 epoch incl. validation pass): median {Median(epochSeconds):0.000} s  [{string.Join(", ", epochSeconds.Select(s => s.ToString("0.000")))}]; process CPU median {Median(epochCpu):0.000} s");

// Scoring: class posterior + full K-class ELBO per row, in batches as the worker and evaluate call it.
var manifest = new ModelManifest
{
    Kind = "sdgm", Version = "bench", Created = DateTimeOffset.UnixEpoch, Features = FeatureSets.Complex,
    Normalisation = new NormalisationInfo(std.Mean, std.Std), Classes = classes, Hyperparameters = new Dictionary<string, double>(),
    Seed = 1, TrainingDataHash = "", Metrics = new Dictionary<string, double>(),
};
using var model = new SdgmModel(network!, std, manifest);
foreach (int batch in new[] { 256, 512, 2048 })
{
    var rates = new List<double>();
    var cpuRates = new List<double>();
    var probs = new float[batch * classes.Count];
    var elbo = new float[batch];
    var z = new float[batch * 6];
    int n = table.Rows / batch * batch;
    model.Score(table.Features.AsSpan(0, batch * 6), batch, probs, elbo, z); // warm-up
    for (int r = 0; r < reps; r++)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (int start = 0; start < n; start += batch) model.Score(table.Features.AsSpan(start * 6, batch * 6), batch, probs, elbo, z);
        rates.Add(n / sw.Elapsed.TotalSeconds);
        cpuRates.Add(n / (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    Console.WriteLine($"score posterior + ELBO + z-scores, batch {batch}: median {Median(rates):N0} samples/s  [{string.Join(", ", rates.Select(v => v.ToString("N0")))}]; per CPU-second (process) {Median(cpuRates):N0}");
}

Console.WriteLine($"peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:0} MB");

if (soakSeconds > 0)
{
    const int batch = 512;
    var probs = new float[batch * classes.Count];
    var elbo = new float[batch];
    var z = new float[batch * 6];
    int n = table.Rows / batch * batch;
    var sw = Stopwatch.StartNew();
    long scored = 0;
    var marks = new Queue<double>([0.1, 0.5, 0.9]);
    var rss = new List<string>();
    while (sw.Elapsed.TotalSeconds < soakSeconds)
    {
        for (int start = 0; start < n; start += batch)
        {
            model.Score(table.Features.AsSpan(start * 6, batch * 6), batch, probs, elbo, z);
            scored += batch;
        }

        if (marks.Count > 0 && sw.Elapsed.TotalSeconds >= marks.Peek() * soakSeconds)
            rss.Add($"{marks.Dequeue() * 100:0} %: {CurrentRssMb():0} MB");
    }

    rss.Add($"100 %: {CurrentRssMb():0} MB");
    Console.WriteLine($"soak: {scored:N0} rows scored in batches of {batch} over {sw.Elapsed.TotalSeconds:0} s; RSS {string.Join(", ", rss)}; peak {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:0} MB");
}

static double CurrentRssMb()
{
    using var p = Process.GetCurrentProcess();
    p.Refresh();
    return p.WorkingSet64 / 1e6;
}

static double Median(List<double> v)
{
    var s = v.Order().ToArray();
    return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
}
