using System.CommandLine;
using System.Text.Json;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Evaluation;
using PvMonitor.Learning.Models;

namespace PvMonitor.Cli;

/// <summary><c>pvmonitor evaluate</c>: accuracy, F1, confusion, ELBO and anomaly statistics of a model on a CSV file.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Model directory (with manifest.json); a relative one not in the working directory is looked up next to the executable, where the shipped models/default is.", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "Labelled CSV to evaluate on.", Required = true };
        var unseen = new Option<string?>("--unseen") { Description = "Classes the model never saw (comma list): excluded from accuracy, used for the anomaly AUROC." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (accuracy, macro_f1, per_class, confusion, elbo, anomaly, samples_per_second) instead of a table." };
        var labelColumn = new Option<string>("--label-column") { Description = "Column holding the class label.", DefaultValueFactory = _ => "label" };
        var samples = new Option<int>("--samples") { Description = "Monte-Carlo samples averaged per ELBO and per lk score (SDGM).", DefaultValueFactory = _ => 1 };
        var iw = new Option<int>("--iw") { Description = "Also report the importance-weighted bound with this many samples (IW = k; 0 = off).", DefaultValueFactory = _ => 0 };
        var score = new Option<string>("--score") { Description = "Anomaly score for the flags and the AUROC, against the model's threshold for it: elbo (U(x)), iw-elbo (importance-weighted, 16 samples) or lk (BIVA's L^{>k}: z1 from the prior). SDGM only.", DefaultValueFactory = _ => "elbo" };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var command = new Command("evaluate", "Evaluate a trained model on a labelled CSV: accuracy, per-class precision/recall/F1, confusion matrix, ELBO statistics and anomaly detection of unseen classes.")
        {
            model, data, unseen, json, labelColumn, samples, iw, score, device, threads,
        };
        command.Validators.Add(r =>
        {
            if (CommonOptions.TryGiven(r, samples, out var s) && s is < 1 or > 1000) r.AddError("--samples must be 1–1000.");
            if (CommonOptions.TryGiven(r, iw, out var k) && k is < 0 or > 10_000) r.AddError("--iw must be 0–10000.");
            if (CommonOptions.TryGiven(r, score, out var name) && !AnomalyScores.TryParse(name, out _)) r.AddError($"--score must be one of {AnomalyScores.NameList} (got '{name}').");
            CommonOptions.ValidateThreads(r, threads);
        });
        command.SetAction((pr, ct) =>
        {
            var modelPath = CliPaths.ModelDirectory(pr.GetRequiredValue(model).ToString(), "--model");
            var dataFile = pr.GetRequiredValue(data);
            if (!dataFile.Exists) throw new CliException($"--data: file '{dataFile.FullName}' does not exist.");
            var torchDevice = CommonOptions.ApplyTorch(pr, device, threads);
            IConditionModel loaded;
            try
            {
                loaded = ModelDirectory.Load(modelPath, pr.GetValue(samples), torchDevice);
            }
            catch (ModelFormatException ex)
            {
                throw new CliException("--model: " + ex.Message, ExitCodes.Failure);
            }

            var anomalyScore = AnomalyScores.Parse(pr.GetValue(score));
            if (anomalyScore != AnomalyScore.Elbo && ModelEvaluator.ScoreProblem(loaded, anomalyScore) is { } problem) throw new CliException($"--score: {problem} Use --score elbo, or retrain the model with this version.");

            var table = DataFiles.ReadCsv(dataFile, loaded.Features, pr.GetValue(labelColumn), labelOptional: true);
            var unseenClasses = CommonOptions.SplitList(pr.GetValue(unseen));
            var result = ModelEvaluator.Evaluate(loaded, table, unseenClasses, pr.GetValue(iw), anomalyScore);
            var stdout = pr.InvocationConfiguration.Output;
            var exitCode = WarnAboutUnknownClasses(table, loaded.Classes, unseenClasses, pr.InvocationConfiguration.Error);
            if (pr.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
                return Task.FromResult(exitCode);
            }

            stdout.WriteLine($"model {result.Model}: {result.Rows} rows, accuracy {result.Accuracy:0.0000}, macro-F1 {result.MacroF1:0.0000}, {result.SamplesPerSecond:N0} samples/s");
            stdout.WriteLine($"{"class",-8} {"precision",9} {"recall",7} {"f1",7} {"support",8}");
            foreach (var (name, m) in result.PerClass)
                stdout.WriteLine($"{name,-8} {m.Precision,9:0.000} {m.Recall,7:0.000} {m.F1,7:0.000} {m.Support,8}");
            if (result.Elbo is { } e) stdout.WriteLine($"ELBO mean {e.Mean:0.00}, p01 {e.P01:0.00}, p50 {e.P50:0.00} nats" + (e.IwMean is { } w ? $", IW-{e.IwSamples} mean {w:0.00}" : ""));
            if (result.Anomaly is { } a)
                stdout.WriteLine($"anomaly threshold ({a.Score}) {a.Threshold:0.00} nats: flagged {a.FlaggedRate:P1} (known classes {a.FlaggedRateSeen:P1}"
                    + (a.FlaggedRateUnseen is { } u ? $", unseen {u:P1}" : "") + ")" + (a.AurocUnseen is { } auc ? $", AUROC unseen {auc:0.0000}" : ""));
            return Task.FromResult(exitCode);
        });
        return command;
    }

    /// <summary>
    /// Rows labelled with a class the model does not know (and not listed in <c>--unseen</c>) count neither for accuracy nor as
    /// unseen: the numbers describe less than the file. Warns naming those classes and their row counts; returns exit code 1
    /// then (the results are still printed), 0 otherwise.
    /// </summary>
    private static int WarnAboutUnknownClasses(TabularData table, IReadOnlyList<string> known, IReadOnlyCollection<string> unseen, TextWriter stderr)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var label in table.Labels)
        {
            if (label is null || known.Contains(label) || unseen.Contains(label)) continue;
            counts[label] = counts.GetValueOrDefault(label) + 1;
        }

        if (counts.Count == 0) return ExitCodes.Ok;
        var rows = counts.Values.Sum();
        stderr.WriteLine($"pvmonitor: warning: {rows} of {table.Rows} rows have classes the model does not know: "
            + $"{string.Join(", ", counts.Select(kv => $"{kv.Key} ({kv.Value})"))}; they are left out of accuracy and F1. "
            + $"The model knows {string.Join(",", known)}; pass --unseen {string.Join(",", counts.Keys)} to score them as anomalies.");
        return ExitCodes.Failure;
    }
}
