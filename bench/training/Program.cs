using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Classifiers;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Torch;
using PvMonitor.Learning.Training;
using PvMonitor.Simulation;

// Training quality on data sets nobody tuned on (issue 13): trains with the library's defaults (plus KEY=VALUE overrides)
// through ConditionModelTrainer — the code behind `pvmonitor train` — and evaluates with ModelEvaluator — the code
// behind `pvmonitor evaluate` — once per seed, and prints one JSON line per run.
// Usage: dotnet PvMonitor.Bench.Training.dll SCENARIO MODEL SEEDS [--dump DIR] [sdgm.Prop=V | clf.Prop=V | req.Prop=V ...]
//   SCENARIO: sim-complex | sim-simple-10 | sim-unseen | reunion      MODEL: sdgm | mlp | mlr      SEEDS: 1,2,3
//   --dump DIR: also write each seed's train/test CSV (features + label) for bench/training/sklearn_reference.py.
// sim-*: `simulate --days 60 --seed 7`, random 80/20 split per seed. sim-unseen trains on PS7, RS4, PS50 and reports the
// AUROC of −ELBO for the other seven against the held-out rows of those three. reunion: ../shared/realdata La Réunion,
// trained on the `normal` rows before 13 May 2022, scored on the rest (AUROC of the fault episodes against normal rows).
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: SCENARIO MODEL SEEDS [--dump DIR] [sdgm.Prop=V ...]");
    return 2;
}

string scenario = args[0], kind = args[1];
var seeds = args[2].Split(',').Select(ulong.Parse).ToArray();
string? dump = null;
var overrides = new List<string>();
for (int i = 3; i < args.Length; i++)
{
    if (args[i] == "--dump") dump = args[++i];
    else overrides.Add(args[i]);
}

TorchRuntime.SetThreads(1);
var (all, times) = await Load(scenario);
foreach (var seed in seeds)
{
    var random = new RandomSource(seed * 7919 + 11);
    int[] trainRows, testRows;
    IReadOnlyList<string>? classes = null;
    string[] unseen = [];
    int? perClass = null;
    if (scenario == "reunion")
    {
        var cut = new DateTimeOffset(2022, 5, 13, 0, 0, 0, TimeSpan.Zero);
        trainRows = Enumerable.Range(0, all.Rows).Where(i => times![i] < cut && all.Labels[i] == "normal").ToArray();
        testRows = Enumerable.Range(0, all.Rows).Where(i => times![i] >= cut).ToArray();
        unseen = ["fault_3_1"];
    }
    else
    {
        (trainRows, testRows) = Sampling.TrainTestSplit(all.Rows, 0.2, random);
        if (scenario == "sim-simple-10") perClass = 10;
        if (scenario == "sim-unseen")
        {
            classes = ["PS7", "RS4", "PS50"];
            unseen = all.DistinctLabels().Except(classes).ToArray();
        }
    }

    var train = all.Select(trainRows);
    var test = all.Select(testRows);
    if (dump is not null)
    {
        Directory.CreateDirectory(dump);
        Write(Path.Combine(dump, $"{scenario}-s{seed}-train.csv"), train, classes, perClass, seed);
        Write(Path.Combine(dump, $"{scenario}-s{seed}-test.csv"), test, null, null, seed);
    }

    var request = new TrainRequest
    {
        Kind = kind, Seed = seed, Classes = classes, LabelsPerClass = perClass, Created = DateTimeOffset.UnixEpoch,
        Classifier = kind == "mlr" ? ClassifierOptions.Mlr : kind == "mlp" ? ClassifierOptions.Mlp : null,
    };
    request = Apply(request, overrides);
    var sw = Stopwatch.StartNew();
    using var model = (IDisposable)ConditionModelTrainer.Train(train, request);
    double seconds = sw.Elapsed.TotalSeconds;
    var conditionModel = (IConditionModel)model;
    var evalData = test;
    if (unseen.Length > 0 && scenario != "reunion") evalData = test; // unseen rows are excluded from accuracy by Evaluate
    var result = ModelEvaluator.Evaluate(conditionModel, evalData, unseen);
    var m = conditionModel.Manifest;
    var line = new Dictionary<string, object?>
    {
        ["scenario"] = scenario, ["model"] = kind, ["seed"] = seed, ["overrides"] = string.Join(" ", overrides),
        ["accuracy"] = result.Accuracy, ["macro_f1"] = result.MacroF1,
        ["auroc_unseen"] = result.Anomaly?.AurocUnseen, ["threshold"] = result.Anomaly?.Threshold,
        ["flagged_seen"] = result.Anomaly?.FlaggedRateSeen, ["flagged_unseen"] = result.Anomaly?.FlaggedRateUnseen,
        ["train_elbo_p50"] = m.Metrics.GetValueOrDefault("train_elbo_p50"),
        ["epochs_run"] = m.Metrics.GetValueOrDefault("epochs_run"), ["best_epoch"] = m.Metrics.GetValueOrDefault("best_epoch"),
        ["train_seconds"] = Math.Round(seconds, 1), ["train_rows"] = train.Rows, ["test_rows"] = test.Rows,
    };
    Console.WriteLine(JsonSerializer.Serialize(line));
}

return 0;

static async Task<(TabularData Data, DateTimeOffset[]? Times)> Load(string scenario)
{
    if (scenario == "reunion")
    {
        var path = Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/realdata/la-reunion/la-reunion-5min.csv");
        if (!File.Exists(path)) path = "../shared/realdata/la-reunion/la-reunion-5min.csv";
        if (!File.Exists(path)) throw new FileNotFoundException("La Réunion data not found (../shared/realdata/la-reunion/la-reunion-5min.csv)");
        var text = await File.ReadAllTextAsync(path);
        var data = CsvTableReader.Read(new StringReader(text), ["I", "V", "G", "TExt", "TMod"], "label");
        var times = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => DateTimeOffset.Parse(l[..l.IndexOf(',')], CultureInfo.InvariantCulture)).ToArray();
        return (data, times);
    }

    var csv = new StringWriter();
    await PlantSimulation.WriteCsvAsync(new SimulationOptions { Days = 60, Seed = 7 }, csv);
    var features = scenario == "sim-simple-10" ? FeatureSets.Simple : FeatureSets.Complex;
    return (CsvTableReader.Read(new StringReader(csv.ToString()), features, "label"), null);
}

static TrainRequest Apply(TrainRequest request, List<string> overrides)
{
    var sdgm = request.Sdgm;
    var clf = request.Classifier;
    object boxedReq = request, boxedSdgm = sdgm, boxedClf = clf ?? new ClassifierOptions();
    foreach (var o in overrides)
    {
        var eq = o.IndexOf('=');
        var (target, name) = (o[..o.IndexOf('.')], o[(o.IndexOf('.') + 1)..eq]);
        var value = o[(eq + 1)..];
        object obj = target switch { "sdgm" => boxedSdgm, "clf" => boxedClf, "req" => boxedReq, _ => throw new ArgumentException(o) };
        var p = obj.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance) ?? throw new ArgumentException($"no property {name} on {target}");
        var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        object v = t.IsEnum ? Enum.Parse(t, value, true)
            : t == typeof(IReadOnlyList<int>) ? value.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray()
            : Convert.ChangeType(value, t, CultureInfo.InvariantCulture);
        p.SetValue(obj, v);
    }

    return ((TrainRequest)boxedReq) with { Sdgm = (SdgmOptions)boxedSdgm, Classifier = clf is null && !overrides.Any(o => o.StartsWith("clf.")) ? null : (ClassifierOptions)boxedClf };
}

static void Write(string path, TabularData data, IReadOnlyList<string>? classes, int? perClass, ulong seed)
{
    using var w = new StreamWriter(path);
    w.WriteLine(string.Join(",", data.FeatureNames) + ",label");
    for (int i = 0; i < data.Rows; i++)
    {
        var label = data.Labels[i];
        if (classes is not null && label is not null && !classes.Contains(label)) continue;
        w.WriteLine(string.Join(",", data.Row(i).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "," + label);
    }
}
