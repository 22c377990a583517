using System.Globalization;
using System.Text;
using System.Text.Json;
using PvMonitor.Learning.Experiments;
using PvMonitor.Learning.Models;

namespace PvMonitor.Reports;

/// <summary>Writes <c>report.md</c>, <c>results.json</c> and SVG figures for a paper experiment run.</summary>
internal static class PaperReportWriter
{
    /// <summary>Writes everything into <paramref name="directory"/> and returns the files written.</summary>
    public static IReadOnlyList<string> Write(string directory, PaperExperimentResults results, PaperExperimentOptions options, string dataFile)
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        void Save(string name, string content)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, content, new UTF8Encoding(false));
            files.Add(path);
        }

        Save("results.json", JsonSerializer.Serialize(new { options, results }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        var md = new StringBuilder();
        md.AppendLine("# PV paper experiments on PvMonitor data");
        md.AppendLine();
        md.AppendLine($"Data: `{dataFile}` ({results.Rows} labeled rows, classes {string.Join(", ", results.Classes)}). Seed {options.Seed}; " +
                      $"SDGM ≤ {options.SdgmEpochs} epochs (learning rate {options.SdgmLearningRate}, β {options.SdgmBeta}), MLP/MLR ≤ {options.BaselineEpochs} epochs, early stopping on a 10 % validation split. Run time {results.Seconds:0} s.");
        md.AppendLine();

        if (results.Table3.Count > 0)
        {
            md.AppendLine($"## Table III: fully supervised accuracy ({options.Folds} Monte-Carlo 80/20 splits, mean ± std)");
            md.AppendLine();
            md.AppendLine("| model | simple {I, V} | complex {I, V, G, TExt, TMod, W} |");
            md.AppendLine("|---|---|---|");
            foreach (var model in new[] { ModelKinds.Mlr, ModelKinds.Mlp, ModelKinds.Sdgm })
            {
                string Cell(string f) => results.Table3.FirstOrDefault(s => s.Model == model && s.Features == f) is { } s ? $"{s.Mean * 100:0.00} ± {s.Std * 100:0.00} %" : "–";
                md.AppendLine($"| {model.ToUpperInvariant()} | {Cell("simple")} | {Cell("complex")} |");
            }

            md.AppendLine();
            md.AppendLine("Paper (real DTU data): MLR 51.6 / 77.3 %, MLP 66.0 / 85.3 %, SDGM 76.7 / 92.5 % (simple / complex).");
            md.AppendLine();
            foreach (var c in results.Confusions)
            {
                var name = $"confusion-{c.Model}-{c.Features}.svg";
                Save(name, Svg.Confusion($"{c.Model.ToUpperInvariant()} ({c.Features}), summed over folds", c.Labels, c.Matrix));
                md.AppendLine($"![{c.Model} {c.Features}]({name})");
            }

            foreach (var z in results.Latents)
            {
                var name = $"latent-pca-{z.Features}.svg";
                Save(name, Svg.Scatter($"PCA of SDGM z1 ({z.Features} inputs, test rows)", "PC 1", "PC 2", z.Pc1, z.Pc2, z.Labels, results.Classes));
                md.AppendLine($"![PCA {z.Features}]({name})");
            }

            md.AppendLine();
        }

        if (results.Figure7.Count > 0)
        {
            md.AppendLine($"## Fig. 7: accuracy against the number of labels ({options.Repeats} repeats, mean ± std)");
            md.AppendLine();
            var budgets = results.Figure7.Select(p => p.Labels).Distinct().Order().ToArray();
            md.AppendLine("| model | features | " + string.Join(" | ", budgets) + " |");
            md.AppendLine("|---|---|" + string.Concat(budgets.Select(_ => "---|")));
            foreach (var group in results.Figure7.GroupBy(p => (p.Model, p.Features)))
                md.AppendLine($"| {group.Key.Model.ToUpperInvariant()} | {group.Key.Features} | " + string.Join(" | ", budgets.Select(b => group.FirstOrDefault(p => p.Labels == b) is { } p ? $"{p.Mean * 100:0.0} ± {p.Std * 100:0.0}" : "–")) + " |");
            md.AppendLine();
            foreach (var features in new[] { "simple", "complex" })
            {
                var series = results.Figure7.Where(p => p.Features == features).GroupBy(p => p.Model)
                    .Select(g => (g.Key.ToUpperInvariant(), (IReadOnlyList<(double, double, double)>)g.Select(p => ((double)p.Labels, p.Mean * 100, p.Std * 100)).ToArray()))
                    .ToArray();
                if (series.Length == 0) continue;
                var name = $"accuracy-vs-labels-{features}.svg";
                Save(name, Svg.Lines($"Accuracy vs labels ({features} inputs)", "labeled rows", "accuracy, %", series, AxisScale.AtValues(series.SelectMany(s => s.Item2).Select(p => p.Item1))));
                md.AppendLine($"![accuracy vs labels {features}]({name})");
            }

            md.AppendLine();
        }

        if (results.Figure8.Count > 0)
        {
            md.AppendLine($"## Fig. 8: classes added one by one ({options.ProgressiveLabels} labels per included class, 1 label from each other class; complex inputs)");
            md.AppendLine();
            md.AppendLine("| included | SDGM acc. | MLP acc. | ELBO included (nats) | ELBO not included (nats) | AUROC not included |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach (var s in results.Figure8)
                md.AppendLine($"| {string.Join(",", s.Included)} | {s.SdgmAccuracy * 100:0.0} % | {s.MlpAccuracy * 100:0.0} % | {s.ElboIncludedMean:0.0} ± {s.ElboIncludedStd:0.0} | {s.ElboExcludedMean:0.0} ± {s.ElboExcludedStd:0.0} | {s.AurocExcluded:0.000} |");
            md.AppendLine();
            var classes = AxisScale.Inside(1, results.Figure8.Count, integers: true, pad: 0.04);
            Save("progressive-accuracy.svg", Svg.Lines("Accuracy as classes are added", "classes included", "accuracy, %",
            [
                ("SDGM", results.Figure8.Select((s, i) => ((double)(i + 1), s.SdgmAccuracy * 100, 0.0)).ToArray()),
                ("MLP", results.Figure8.Select((s, i) => ((double)(i + 1), s.MlpAccuracy * 100, 0.0)).ToArray()),
            ], classes));
            Save("progressive-elbo.svg", Svg.Lines("ELBO of included vs not-included classes", "classes included", "ELBO, nats",
            [
                ("included", results.Figure8.Select((s, i) => ((double)(i + 1), s.ElboIncludedMean, s.ElboIncludedStd)).ToArray()),
                ("not included", results.Figure8.Select((s, i) => ((double)(i + 1), s.ElboExcludedMean, s.ElboExcludedStd)).Where(p => !double.IsNaN(p.Item2)).ToArray()),
            ], classes, robustY: true));
            var last = results.Figure8[^1];
            Save("elbo-distributions.svg", Svg.Histograms($"ELBO distributions after {last.Included.Count} classes", "ELBO, nats",
                [("included", last.ElboIncludedSample), ("not included", last.ElboExcludedSample)], symLog: true));
            md.AppendLine("![accuracy](progressive-accuracy.svg) ![elbo](progressive-elbo.svg) ![elbo distributions](elbo-distributions.svg)");
            md.AppendLine();
            md.AppendLine("The ELBO plot's y axis spans the whiskers of its means and error-bar ends (Q1 − 1.5 IQR to Q3 + 1.5 IQR), so one unseen " +
                          "class far below cannot flatten the rest; means beyond it are drawn as triangles at the edge (counted in the figure's caption). " +
                          "The ELBO histograms use a symmetric log axis (sign·log10(1 + |ELBO|)) with Freedman–Diaconis bins over the 1st–99th " +
                          "percentile of both samples; the outer bars hold the rows beyond.");
        }

        Save("report.md", md.ToString());
        return files;
    }
}
