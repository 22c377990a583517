using System.Globalization;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models;

namespace PvMonitor.Monitoring.Operations.Retraining;

/// <summary>The gate's decision and what it measured on the held-out rows.</summary>
/// <param name="Accepted">Activate the candidate.</param>
/// <param name="Reason">One line per check, passed or failed.</param>
/// <param name="Report">The measurements: old_accuracy_parent, old_accuracy_candidate, recall_CODE per new condition,
/// flagged_rate_healthy, holdout_rows; the candidate's confusion matrix.</param>
public sealed record GateDecision(bool Accepted, string Reason, ValidationReport Report);

/// <summary>
/// Decides whether a retrained candidate replaces the active model, on held-out labelled rows (operator labels: the latest by
/// time; the active model's training snapshot: a seeded share, which the active model was trained on, so the comparison
/// leans towards keeping it): accuracy on
/// the previously known conditions may drop by at most <see cref="RetrainOptions.MaxOldAccuracyDrop"/>, each new condition
/// needs recall ≥ <see cref="RetrainOptions.MinNewRecall"/>, and at most <see cref="RetrainOptions.MaxFlaggedRate"/> of the
/// healthy rows may be flagged anomalous.
/// </summary>
public static class RetrainingGate
{
    /// <summary>Evaluates <paramref name="candidate"/> against <paramref name="parent"/>.</summary>
    /// <param name="candidate">The retrained model.</param>
    /// <param name="parent">The active model.</param>
    /// <param name="holdout">Held-out labelled rows (in the models' feature order).</param>
    /// <param name="newClasses">Conditions the parent does not know.</param>
    /// <param name="isHealthy">True for a condition of normal operation (severity info).</param>
    /// <param name="options">Thresholds.</param>
    public static GateDecision Evaluate(IConditionModel candidate, IConditionModel parent, TabularData holdout, IReadOnlyList<string> newClasses,
        Func<string, bool> isHealthy, RetrainOptions options)
    {
        var metrics = new Dictionary<string, double> { ["holdout_rows"] = holdout.Rows };
        var reasons = new List<string>();
        var accepted = true;
        var (candidateClass, candidateAnomaly) = Predict(candidate, holdout);
        var (parentClass, _) = Predict(parent, holdout);
        var known = parent.Classes.ToHashSet(StringComparer.Ordinal);
        var forgotten = parent.Classes.Where(c => !candidate.Classes.Contains(c)).ToList();
        if (forgotten.Count > 0)
        {
            accepted = false;
            reasons.Add($"FAILED: the candidate no longer knows {string.Join(", ", forgotten)} (the data had no rows of them: neither labels nor confident predictions of the active model)");
        }

        var old = Enumerable.Range(0, holdout.Rows).Where(i => holdout.Labels[i] is { } l && known.Contains(l)).ToList();
        if (old.Count > 0)
        {
            var before = old.Count(i => parentClass[i] == holdout.Labels[i]) / (double)old.Count;
            var after = old.Count(i => candidateClass[i] == holdout.Labels[i]) / (double)old.Count;
            metrics["old_accuracy_parent"] = before;
            metrics["old_accuracy_candidate"] = after;
            var ok = before - after <= options.MaxOldAccuracyDrop + 1e-12;
            accepted &= ok;
            reasons.Add(Fmt($"{(ok ? "ok" : "FAILED")}: accuracy on known conditions {after:P1} (active model {before:P1}, {old.Count} rows; at most {options.MaxOldAccuracyDrop:P1} drop allowed)"));
        }

        foreach (var code in newClasses)
        {
            var rows = Enumerable.Range(0, holdout.Rows).Where(i => holdout.Labels[i] == code).ToList();
            if (rows.Count == 0)
            {
                accepted = false;
                reasons.Add($"FAILED: no held-out rows of new condition {code} (label a longer period)");
                continue;
            }

            var recall = rows.Count(i => candidateClass[i] == code) / (double)rows.Count;
            metrics["recall_" + code] = recall;
            var ok = recall >= options.MinNewRecall;
            accepted &= ok;
            reasons.Add(Fmt($"{(ok ? "ok" : "FAILED")}: recall of new condition {code} {recall:P1} on {rows.Count} rows (at least {options.MinNewRecall:P0})"));
        }

        var healthy = Enumerable.Range(0, holdout.Rows).Where(i => holdout.Labels[i] is { } l && isHealthy(l)).ToList();
        if (healthy.Count > 0 && candidate.HasElbo)
        {
            var flagged = healthy.Count(i => candidateAnomaly[i]) / (double)healthy.Count;
            metrics["flagged_rate_healthy"] = flagged;
            var ok = flagged <= options.MaxFlaggedRate;
            accepted &= ok;
            reasons.Add(Fmt($"{(ok ? "ok" : "FAILED")}: {flagged:P1} of {healthy.Count} healthy rows flagged anomalous (at most {options.MaxFlaggedRate:P1})"));
        }

        if (reasons.Count == 0)
        {
            accepted = false;
            reasons.Add("FAILED: no held-out rows to judge the candidate on");
        }

        return new GateDecision(accepted, string.Join("; ", reasons), Report(candidate, holdout, candidateClass, metrics));
    }

    private static ValidationReport Report(IConditionModel candidate, TabularData holdout, string[] predicted, Dictionary<string, double> metrics)
    {
        var classes = candidate.Classes;
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var confusion = classes.Select(_ => new int[classes.Count]).ToArray();
        for (var r = 0; r < holdout.Rows; r++)
            if (holdout.Labels[r] is { } truth && index.TryGetValue(truth, out var t)) confusion[t][index[predicted[r]]]++;
        return new ValidationReport(holdout.Rows, classes.ToArray(), confusion, metrics);
    }

    private static (string[] Class, bool[] Anomaly) Predict(IConditionModel model, TabularData data)
    {
        var predicted = ModelPredictions.Of(model, data.Features, data.Rows);
        return (predicted.Best.Select(b => model.Classes[b]).ToArray(), predicted.Anomalous);
    }

    private static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
