using PvMonitor.Learning.Data;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PvMonitor.Learning.Experiments;
using PvMonitor.Learning.Models;

namespace PvMonitor.Reports;

/// <summary>
/// Writes <c>report.md</c>, <c>results.json</c> and SVG figures for an <c>experiment variants</c> run: accuracy per model,
/// inputs and label budget; AUROC per model and anomaly score on held-out conditions; seconds per epoch; and a
/// recommendation computed from those numbers. Every cell is mean ± std over the runs it summarises.
/// </summary>
internal static class VariantReportWriter
{
    /// <summary>Writes everything into <paramref name="directory"/> and returns the files written.</summary>
    public static IReadOnlyList<string> Write(string directory, VariantExperimentResults results, VariantExperimentOptions options, string dataFile)
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        void Save(string name, string content)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, content, new UTF8Encoding(false));
            files.Add(path);
        }

        var json = new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
        Save("results.json", JsonSerializer.Serialize(new
        {
            options = new
            {
                options.Models,
                Scores = options.Scores.Select(AnomalyScores.Name).ToArray(),
                Labels = options.LabelsPerClass.Select(VariantExperimentOptions.LabelName).ToArray(),
                options.Seeds,
                options.Epochs,
                options.Rows,
                options.HeldOut,
                options.Seed,
            },
            results,
        }, json));

        var md = new StringBuilder();
        md.AppendLine("# Model variants and anomaly scores");
        md.AppendLine();
        md.AppendLine(Invariant($"Data: `{dataFile}` ({results.Rows} labelled rows, classes {string.Join(", ", results.Classes)}). {results.Seeds} seed(s) from {options.Seed}, ")
                      + Invariant($"each its own 80/20 split; the `default` training preset with ≤ {options.Epochs} epochs per run; models {string.Join(", ", options.Models)}; ")
                      + Invariant($"scores {string.Join(", ", options.Scores.Select(AnomalyScores.Name))}. Run time {results.Seconds:0} s. Every cell is mean ± std."));
        md.AppendLine();
        md.AppendLine("## Recommendation");
        md.AppendLine();
        md.AppendLine(RecommendationLine(results.Recommendation));
        md.AppendLine();

        WriteAccuracy(md, results, options, Save);
        WriteAuroc(md, results, options, Save);
        WritePurity(md, results);
        WriteEpochTimes(md, results);
        Save("report.md", md.ToString());
        return files;
    }

    /// <summary>The report's recommendation sentence, from the numbers.</summary>
    internal static string RecommendationLine(VariantRecommendation r)
    {
        var line = Invariant($"**Best model by mean accuracy: {r.BestModel}** ({r.BestModelAccuracy * 100:0.0} % averaged over inputs and label budgets).");
        return r.BestScore is null
            ? line + " No AUROC was measured (no held-out condition, or no model with an anomaly score), so no score is recommended."
            : line + Invariant($" **Best anomaly score by mean AUROC: {r.BestScore}** ({r.BestScoreAuroc:0.000} averaged over models and held-out conditions; highest with {r.BestScoreModel}).");
    }

    private static void WriteAccuracy(StringBuilder md, VariantExperimentResults results, VariantExperimentOptions options, Action<string, string> save)
    {
        var labels = options.LabelsPerClass.Select(VariantExperimentOptions.LabelName).ToArray();
        md.AppendLine($"## Accuracy on the test split, by labels per class ({results.Seeds} seed(s))");
        md.AppendLine();
        md.AppendLine("| model | inputs | " + string.Join(" | ", labels) + " |");
        md.AppendLine("|---|---|" + string.Concat(labels.Select(_ => "---|")));
        foreach (var features in new[] { "simple", "complex" })
            foreach (var model in options.Models)
                md.AppendLine($"| {model} | {features} | " + string.Join(" | ", labels.Select(l =>
                    results.Accuracy.FirstOrDefault(a => a.Model == model && a.Features == features && a.Labels == l) is { Accuracies.Count: > 0 } a
                        ? Invariant($"{a.Mean * 100:0.0} ± {a.Std * 100:0.0} %") : "–")) + " |");
        md.AppendLine();
        md.AppendLine($"Simple inputs are {{{string.Join(", ", FeatureSets.Simple)}}}; complex {{{string.Join(", ", options.ComplexFeatures)}}}. With fewer labels than rows the SDGM learns from the rest unlabeled; MLP and MLR see only the labelled rows.");
        md.AppendLine();
        var x = Svg.Categories(labels);
        foreach (var features in new[] { "simple", "complex" })
        {
            var series = options.Models.Select(model => (model, (IReadOnlyList<(double, double, double)>)labels.Select((l, i) =>
                    results.Accuracy.FirstOrDefault(a => a.Model == model && a.Features == features && a.Labels == l) is { } a
                        ? (i + 1.0, a.Mean * 100, a.Std * 100) : (i + 1.0, double.NaN, 0.0)).ToArray()))
                .ToArray();
            var name = $"accuracy-vs-labels-{features}.svg";
            save(name, Svg.Lines($"Accuracy vs labels per class ({features} inputs)", "labels per class", "accuracy, %", series, x));
            md.AppendLine($"![accuracy vs labels, {features} inputs]({name})");
        }

        md.AppendLine();
    }

    private static void WriteAuroc(StringBuilder md, VariantExperimentResults results, VariantExperimentOptions options, Action<string, string> save)
    {
        md.AppendLine("## Anomaly detection: AUROC for a condition held out of training");
        md.AppendLine();
        if (results.HeldOut.Count == 0)
        {
            md.AppendLine("No condition was held out (`--holdout`), so no AUROC was measured.");
            md.AppendLine();
            return;
        }

        md.AppendLine($"Leave-one-condition-out over {string.Join(", ", results.HeldOut)}: each model trains on the other conditions (complex inputs, all labels), " +
                      "and −score ranks the test rows; AUROC 1 puts every held-out row below every known one, 0.5 is chance. " +
                      $"Mean ± std over {results.Seeds} seed(s) × {results.HeldOut.Count} condition(s).");
        md.AppendLine();
        if (results.Auroc.Count > 0)
        {
            md.AppendLine("| model | score | AUROC | " + string.Join(" | ", results.HeldOut) + " |");
            md.AppendLine("|---|---|---|" + string.Concat(results.HeldOut.Select(_ => "---|")));
            foreach (var a in results.Auroc)
                md.AppendLine(Invariant($"| {a.Model} | {a.Score} | {a.Mean:0.000} ± {a.Std:0.000} | ") + string.Join(" | ", results.HeldOut.Select(c => Invariant($"{a.MeanFor(c):0.000}"))) + " |");
            md.AppendLine();
        }

        var without = options.Models.Where(m => results.Auroc.All(a => a.Model != m)).ToArray();
        if (without.Length > 0)
        {
            md.AppendLine($"{string.Join(", ", without)}: no anomaly score (no ELBO), so no AUROC row.");
            md.AppendLine();
        }

        if (results.Auroc.Count == 0) return;
        var scores = options.Scores.Select(AnomalyScores.Name).Where(s => results.Auroc.Any(a => a.Score == s)).ToArray();
        var series = results.Auroc.Select(a => a.Model).Distinct().Select(model => (model, (IReadOnlyList<(double, double)>)scores.Select(s =>
            results.Auroc.FirstOrDefault(a => a.Model == model && a.Score == s) is { } a ? (a.Mean, a.Std) : (double.NaN, 0.0)).ToArray())).ToArray();
        save("auroc-per-score.svg", Svg.Bars("AUROC of held-out conditions per anomaly score", "anomaly score", "AUROC", scores, series, AxisScale.Covering(0, 1)));
        md.AppendLine("![AUROC per score](auroc-per-score.svg)");
        md.AppendLine();
    }

    private static void WritePurity(StringBuilder md, VariantExperimentResults results)
    {
        if (results.ClusterPurity.Count == 0) return;
        md.AppendLine("## Without labels: cluster purity");
        md.AppendLine();
        md.AppendLine("| model | purity | majority-condition share |");
        md.AppendLine("|---|---|---|");
        var majority = results.Classes.Count == 0 ? double.NaN : results.MajorityShare;
        foreach (var p in results.ClusterPurity)
            md.AppendLine(Invariant($"| {p.Model} | {p.Mean * 100:0.0} ± {p.Std * 100:0.0} % | {majority * 100:0.0} % |"));
        md.AppendLine();
        md.AppendLine("Trained on the training rows with complex inputs and no labels at all (its classes are then clusters); purity = the share of test rows whose cluster's most frequent condition is their own. One cluster for everything would score the majority condition's share.");
        md.AppendLine();
    }

    private static void WriteEpochTimes(StringBuilder md, VariantExperimentResults results)
    {
        md.AppendLine("## Training time per epoch (ms)");
        md.AppendLine();
        md.AppendLine("| model | simple | complex |");
        md.AppendLine("|---|---|---|");
        foreach (var model in results.EpochTimes.Select(t => t.Model).Distinct())
        {
            string Cell(string f) => results.EpochTimes.FirstOrDefault(t => t.Model == model && t.Features == f) is { SecondsPerEpoch.Count: > 0 } t
                ? Invariant($"{t.Mean * 1000:0.0} ± {t.Std * 1000:0.0}") : "–";
            md.AppendLine($"| {model} | {Cell("simple")} | {Cell("complex")} |");
        }

        md.AppendLine();
        md.AppendLine("Wall clock of each training call (fitting, plus the SDGM's threshold calibration on 256 rows) divided by the epochs it ran, over every accuracy run (all label budgets and seeds); the SDGM's epoch also covers its unlabeled rows, each evaluated for every class.");
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
