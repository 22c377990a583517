using System.CommandLine;
using PvMonitor.Domain.Conditions;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Experiments;
using PvMonitor.Reports;

namespace PvMonitor.Cli;

/// <summary>
/// <c>pvmonitor experiment paper</c>: the three experiments of the PV paper (Table III, Fig. 7, Fig. 8) on our data;
/// <c>pvmonitor experiment variants</c>: every model kind and anomaly score on the same splits (<see cref="VariantsExperimentCommand"/>).
/// </summary>
internal static class ExperimentCommand
{
    public static Command Create() =>
        new("experiment", "Run an experiment on a labelled CSV and write a report (report.md, results.json, SVG figures): 'paper' reproduces the PV paper's Table III, Fig. 7 and Fig. 8; 'variants' compares every model kind and anomaly score on the same splits.")
        {
            Paper(),
            VariantsExperimentCommand.Create(),
        };

    private static Command Paper()
    {
        var defaults = new PaperExperimentOptions();
        var data = new Option<FileInfo>("--data") { Description = "Labelled CSV (e.g. 'pvmonitor simulate --days 60 --conditions paper').", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for report.md, results.json and the SVG figures.", Required = true };
        var folds = new Option<int>("--folds") { Description = "Monte-Carlo cross-validation splits (80/20) for Table III.", DefaultValueFactory = _ => defaults.Folds };
        var repeats = new Option<int>("--repeats") { Description = "Repeats per label budget for Fig. 7.", DefaultValueFactory = _ => defaults.Repeats };
        var budgets = new Option<string>("--budgets") { Description = "Label budgets for Fig. 7 (comma list).", DefaultValueFactory = _ => string.Join(",", defaults.LabelBudgets) };
        var sdgmEpochs = new Option<int>("--sdgm-epochs") { Description = "Maximum SDGM epochs per run.", DefaultValueFactory = _ => defaults.SdgmEpochs };
        var baselineEpochs = new Option<int>("--baseline-epochs") { Description = "Maximum MLP/MLR epochs per run.", DefaultValueFactory = _ => defaults.BaselineEpochs };
        var sdgmBeta = new Option<float>("--sdgm-beta") { Description = "SDGM β (classification weight) for every run.", DefaultValueFactory = _ => defaults.SdgmBeta };
        var sdgmLr = new Option<float>("--sdgm-learning-rate") { Description = "SDGM Adam learning rate for every run.", DefaultValueFactory = _ => defaults.SdgmLearningRate };
        var parts = new Option<string>("--parts") { Description = "Which experiments: any of table3,fig7,fig8.", DefaultValueFactory = _ => "table3,fig7,fig8" };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var command = new Command("paper", "Reproduce the PV paper's experiments on a dataset and write a report with tables and figures (this trains many models: the defaults take about an hour on 2 cores; --folds, --repeats, --budgets and the epoch options below set the size).")
        {
            data, output, folds, repeats, budgets, sdgmEpochs, baselineEpochs, sdgmBeta, sdgmLr, parts, seed, device, threads,
        };
        command.Validators.Add(r =>
        {
            if (CommonOptions.TryGiven(r, folds, out var f) && f is < 1 or > 100) r.AddError("--folds must be 1–100.");
            if (CommonOptions.TryGiven(r, repeats, out var rep) && rep is < 1 or > 100) r.AddError("--repeats must be 1–100.");
            if (CommonOptions.TryGiven(r, budgets, out var b) && CommonOptions.SplitList(b).Any(x => !int.TryParse(x, out var n) || n < 1)) r.AddError($"--budgets must be positive integers (was '{b}').");
            if (CommonOptions.TryGiven(r, parts, out var p) && CommonOptions.SplitList(p).Any(x => x is not ("table3" or "fig7" or "fig8"))) r.AddError($"--parts must list table3, fig7 and/or fig8 (was '{p}').");
            if (CommonOptions.TryGiven(r, sdgmEpochs, out var se) && se < 1) r.AddError("--sdgm-epochs must be ≥ 1.");
            if (CommonOptions.TryGiven(r, baselineEpochs, out var be) && be < 1) r.AddError("--baseline-epochs must be ≥ 1.");
            CommonOptions.ValidateThreads(r, threads);
        });
        command.SetAction(async (pr, ct) =>
        {
            var outDir = pr.GetRequiredValue(output);
            CliPaths.EnsureWritableFolder(outDir.FullName, "--out");
            var file = pr.GetRequiredValue(data);
            if (!file.Exists) throw new CliException($"--data: file '{file.FullName}' does not exist.");
            var torchDevice = CommonOptions.ApplyTorch(pr, device, threads);
            var table = DataFiles.ReadCsv(file, FeatureSets.Complex, "label");
            var chosen = CommonOptions.SplitList(pr.GetValue(parts));
            var options = new PaperExperimentOptions
            {
                Folds = pr.GetValue(folds),
                Repeats = pr.GetValue(repeats),
                LabelBudgets = CommonOptions.SplitList(pr.GetValue(budgets)).Select(int.Parse).ToArray(),
                SdgmEpochs = pr.GetValue(sdgmEpochs),
                BaselineEpochs = pr.GetValue(baselineEpochs),
                SdgmBeta = pr.GetValue(sdgmBeta),
                SdgmLearningRate = pr.GetValue(sdgmLr),
                Seed = (ulong)pr.GetValue(seed),
                Device = torchDevice,
                RunTable3 = chosen.Contains("table3"),
                RunFigure7 = chosen.Contains("fig7"),
                RunFigure8 = chosen.Contains("fig8"),
            };
            var results = await ConsoleProgress.RunAsync("experiment paper", progress => Task.Run(() =>
                PaperExperiment.Run(table, ConditionCatalog.Paper.Select(c => c.Code).ToArray(), options, progress, ct), ct),
                pr.InvocationConfiguration.Error);
            var written = PaperReportWriter.Write(outDir.FullName, results, options, file.Name);
            pr.InvocationConfiguration.Output.WriteLine($"wrote {written.Count} files to {outDir.FullName} (report.md, results.json, figures) in {results.Seconds:0} s");
            return ExitCodes.Ok;
        });
        return command;
    }
}
