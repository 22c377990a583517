using System.CommandLine;
using System.Globalization;
using PvMonitor.Domain.Conditions;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Experiments;
using PvMonitor.Learning.Models;
using PvMonitor.Reports;

namespace PvMonitor.Cli;

/// <summary>
/// <c>pvmonitor experiment variants</c>: every model kind (<see cref="ExperimentModelKinds"/>) and anomaly score on the same
/// splits: accuracy by labels per class with simple and complex inputs, AUROC of each score on held-out conditions, seconds
/// per epoch, and a recommendation (<see cref="VariantExperiment"/>, <see cref="VariantReportWriter"/>).
/// </summary>
internal static class VariantsExperimentCommand
{
    /// <summary>Fault conditions held out by default (<c>--holdout auto</c>): the first this many of Table II present in the data.</summary>
    private const int AutoHoldOuts = 3;

    public static Command Create()
    {
        var defaults = new VariantExperimentOptions();
        var data = new Option<FileInfo>("--data") { Description = "Labelled CSV with the six sensor columns (e.g. 'pvmonitor simulate --days 30').", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for report.md, results.json and the SVG figures.", Required = true };
        var seeds = new Option<int>("--seeds") { Description = "Seeds, 1–100: each has its own 80/20 split, label subsample and initial weights; the report gives mean ± std over them.", DefaultValueFactory = _ => defaults.Seeds };
        var epochs = new Option<int>("--epochs") { Description = "Maximum epochs per training run, every model (early stopping may end sooner on large data).", DefaultValueFactory = _ => defaults.Epochs };
        var rows = new Option<int>("--rows") { Description = "Use this many labelled rows, drawn at random with the first seed (0 = all).", DefaultValueFactory = _ => 0 };
        var models = new Option<string>("--models") { Description = $"Model kinds to compare (comma list of {string.Join(", ", ExperimentModelKinds.All)}).", DefaultValueFactory = _ => string.Join(",", ExperimentModelKinds.All) };
        var scores = new Option<string>("--scores") { Description = $"Anomaly scores to compare (comma list of {AnomalyScores.NameList}); models without an ELBO get no AUROC row.", DefaultValueFactory = _ => string.Join(",", AnomalyScores.All.Select(AnomalyScores.Name)) };
        var labels = new Option<string>("--labels") { Description = "Labels per class for the accuracy runs (comma list of positive counts and/or 'all').", DefaultValueFactory = _ => "10,100,all" };
        var holdout = new Option<string>("--holdout") { Description = $"Conditions held out of training one at a time for the AUROC (comma list), 'auto' (the first {AutoHoldOuts} fault conditions of Table II in the data) or 'none'.", DefaultValueFactory = _ => "auto" };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var features = new Option<string>("--features") { Description = "The 'complex' inputs: complex (I,V,G,TExt,TMod,W) or a comma list of numeric columns (e.g. I,V,G,TExt,TMod for data without wind); the 'simple' inputs are always I,V.", DefaultValueFactory = _ => "complex" };
        var command = new Command("variants", "Compare every model kind and anomaly score on the same splits: accuracy at each label budget with simple and complex inputs, AUROC of each score for conditions held out of training, seconds per epoch; report.md (mean ± std over seeds) with figures and a recommendation. A quick run: --seeds 2 --epochs 5 --rows 2000.")
        {
            data, output, seeds, epochs, rows, models, scores, labels, holdout, features, seed, device, threads,
        };
        command.Validators.Add(r =>
        {
            if (CommonOptions.TryGiven(r, seeds, out var s) && s is < 1 or > 100) r.AddError("--seeds must be 1–100.");
            if (CommonOptions.TryGiven(r, epochs, out var e) && e is < 1 or > 100_000) r.AddError("--epochs must be 1–100000.");
            if (CommonOptions.TryGiven(r, rows, out var n) && n is < 0 or (> 0 and < 10)) r.AddError("--rows must be 0 (all) or at least 10.");
            if (CommonOptions.TryGiven(r, models, out var m) && ModelsProblem(m) is { } mp) r.AddError(mp);
            if (CommonOptions.TryGiven(r, scores, out var sc) && ScoresProblem(sc) is { } sp) r.AddError(sp);
            if (CommonOptions.TryGiven(r, labels, out var l) && ParseLabels(l) is null) r.AddError($"--labels must list positive counts and/or 'all' (was '{l}').");
            CommonOptions.ValidateThreads(r, threads);
        });
        command.SetAction(async (pr, ct) =>
        {
            var outDir = pr.GetRequiredValue(output);
            CliPaths.EnsureWritableFolder(outDir.FullName, "--out");
            var file = pr.GetRequiredValue(data);
            if (!file.Exists) throw new CliException($"--data: file '{file.FullName}' does not exist.");
            var torchDevice = CommonOptions.ApplyTorch(pr, device, threads);
            IReadOnlyList<string> complex;
            try
            {
                complex = FeatureSets.Parse(pr.GetValue(features)!);
            }
            catch (ArgumentException ex)
            {
                throw new CliException("--features: " + ex.Message);
            }

            if (!FeatureSets.Simple.All(complex.Contains))
                throw new CliException($"--features must include {string.Join(",", FeatureSets.Simple)} (the simple inputs are a subset of them).");
            var table = DataFiles.ReadCsv(file, complex, "label");
            var order = ConditionCatalog.Paper.Select(c => c.Code).ToArray();
            var options = new VariantExperimentOptions
            {
                Models = CommonOptions.SplitList(pr.GetValue(models)).ToArray(),
                Scores = CommonOptions.SplitList(pr.GetValue(scores)).Select(AnomalyScores.Parse).ToArray(),
                LabelsPerClass = ParseLabels(pr.GetValue(labels)!)!,
                Seeds = pr.GetValue(seeds),
                Epochs = pr.GetValue(epochs),
                Rows = pr.GetValue(rows),
                HeldOut = HeldOut(pr.GetValue(holdout) ?? "auto", table),
                Seed = (ulong)pr.GetValue(seed),
                Device = torchDevice,
                ComplexFeatures = complex,
            };
            var results = await ConsoleProgress.RunAsync("experiment variants", progress => Task.Run(() =>
                VariantExperiment.Run(table, order, options, progress, ct), ct), pr.InvocationConfiguration.Error);
            var written = VariantReportWriter.Write(outDir.FullName, results, options, file.Name);
            var stdout = pr.InvocationConfiguration.Output;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {written.Count} files to {outDir.FullName} (report.md, results.json, figures) in {results.Seconds:0} s"));
            stdout.WriteLine(VariantReportWriter.RecommendationLine(results.Recommendation).Replace("**", "", StringComparison.Ordinal));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string? ModelsProblem(string spec)
    {
        var kinds = CommonOptions.SplitList(spec);
        if (kinds.Length == 0) return "--models must list at least one model kind.";
        var unknown = kinds.Where(k => !ExperimentModelKinds.All.Contains(k, StringComparer.Ordinal)).ToArray();
        if (unknown.Length > 0) return $"--models: unknown model kind(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))} (expected {string.Join(", ", ExperimentModelKinds.All)}).";
        return kinds.Distinct(StringComparer.Ordinal).Count() == kinds.Length ? null : $"--models lists a model kind twice ('{spec}').";
    }

    private static string? ScoresProblem(string spec)
    {
        var names = CommonOptions.SplitList(spec);
        if (names.Length == 0) return "--scores must list at least one anomaly score.";
        var unknown = names.Where(n => !AnomalyScores.TryParse(n, out _)).ToArray();
        if (unknown.Length > 0) return $"--scores: unknown anomaly score(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))} (expected {AnomalyScores.NameList}).";
        return names.Select(AnomalyScores.Parse).Distinct().Count() == names.Length ? null : $"--scores lists a score twice ('{spec}').";
    }

    /// <summary>Labels per class from "10,100,all" (null = all), or null when the list is empty, repeats a value or has anything else.</summary>
    private static int?[]? ParseLabels(string spec)
    {
        var parts = CommonOptions.SplitList(spec);
        if (parts.Length == 0) return null;
        var result = new int?[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (string.Equals(parts[i], "all", StringComparison.OrdinalIgnoreCase)) result[i] = null;
            else if (int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1) result[i] = n;
            else return null;
        }

        return result.Distinct().Count() == result.Length ? result : null;
    }

    /// <summary>The held-out conditions of <c>--holdout</c>, checked against the data's labels.</summary>
    private static string[] HeldOut(string spec, TabularData table)
    {
        var present = table.DistinctLabels();
        switch (spec.Trim().ToLowerInvariant())
        {
            case "none":
                return [];
            case "auto":
                return ConditionCatalog.Paper.Where(c => c.Kind == ConditionKind.Fault && present.Contains(c.Code)).Take(AutoHoldOuts).Select(c => c.Code).ToArray();
        }

        var given = CommonOptions.SplitList(spec);
        var absent = given.Where(c => !present.Contains(c)).ToArray();
        if (absent.Length > 0)
            throw new CliException($"--holdout: {string.Join(", ", absent)} has no rows in the data (it has {string.Join(", ", present.Order(StringComparer.Ordinal))}).");
        if (given.Length > 0 && present.Count < 2) throw new CliException("--holdout: holding a condition out needs at least two conditions in the data.");
        return given;
    }
}
