using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Monitoring.Operations.Retraining;

/// <summary>Reads a retraining's rows back from the result store (<see cref="RetrainingSet"/>).</summary>
public static class RetrainingSetBuilder
{
    /// <summary>
    /// Daylight telemetry (G ≥ <paramref name="nightThreshold"/>) of every labelled range, plus up to
    /// <see cref="RetrainOptions.UnlabeledRows"/> recent unlabeled daylight rows (evenly from every string, outside labelled
    /// ranges), pseudo-labelled by <paramref name="active"/> where it is confident; each class's latest rows held out.
    /// </summary>
    /// <exception cref="InvalidOperationException">No label covers any stored daylight telemetry.</exception>
    public static async Task<RetrainingSet> BuildAsync(IResultReader reader, IReadOnlyList<OperatorLabel> labels, IConditionModel active,
        RetrainOptions options, double nightThreshold, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var features = active.Features;
        var latest = (await reader.GetLatestAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Max(s => s.Time));
        var keys = latest.Keys.OrderBy(k => k.ToString(), StringComparer.Ordinal).ToList();
        var rows = new List<(float[] X, string? Label, long Time, bool Operator)>();
        var labelled = new Dictionary<StringKey, List<(DateTimeOffset From, DateTimeOffset To)>>();
        foreach (var label in labels.OrderBy(l => l.Id))
        {
            foreach (var key in keys.Where(k => Covers(label, k)))
            {
                (labelled.TryGetValue(key, out var ranges) ? ranges : labelled[key] = []).Add((label.From, label.To));
                var telemetry = await reader.GetTelemetryAsync(key, label.From, label.To, 100_000, cancellationToken).ConfigureAwait(false);
                foreach (var t in telemetry)
                    if (t.Sample.G >= nightThreshold) rows.Add((Row(t.Sample, features), label.Condition, t.Sample.Time.ToUnixTimeMilliseconds(), true));
            }
        }

        var operatorRows = rows.Count;
        if (operatorRows == 0) throw new InvalidOperationException("No label covers stored daylight telemetry: label anomalous periods first (POST /api/labels).");

        // Unlabeled reservoir: the latest rows of every string (up to UnlabeledHistory before its latest sample, so replayed
        // or old data counts too), outside labelled ranges.
        var perKey = keys.Count == 0 ? 0 : Math.Max(1, options.UnlabeledRows / keys.Count);
        var unlabeled = new List<(float[] X, long Time)>();
        foreach (var key in keys)
        {
            if (options.UnlabeledRows == 0) break;
            var end = latest[key] < now ? latest[key].AddMilliseconds(1) : now;
            var telemetry = await reader.GetTelemetryAsync(key, end - options.UnlabeledHistory, end, 100_000, cancellationToken).ConfigureAwait(false);
            var ranges = labelled.GetValueOrDefault(key);
            var candidates = telemetry.Where(t => t.Sample.G >= nightThreshold && (ranges is null || !ranges.Any(r => t.Sample.Time >= r.From && t.Sample.Time < r.To)))
                .TakeLast(perKey);
            unlabeled.AddRange(candidates.Select(t => (Row(t.Sample, features), t.Sample.Time.ToUnixTimeMilliseconds())));
        }

        var pseudo = PseudoLabel(active, unlabeled.Select(u => u.X).ToList(), options.PseudoLabelConfidence);
        for (var i = 0; i < unlabeled.Count; i++) rows.Add((unlabeled[i].X, pseudo[i], unlabeled[i].Time, false));

        // Hold out each class's latest rows (by time) for the gate.
        var holdout = new HashSet<int>();
        foreach (var group in Enumerable.Range(0, rows.Count).Where(i => rows[i].Label is not null).GroupBy(i => rows[i].Label!))
        {
            var ordered = group.OrderBy(i => rows[i].Time).ToList();
            var count = (int)Math.Floor(ordered.Count * options.HoldoutShare);
            foreach (var i in ordered.TakeLast(count)) holdout.Add(i);
        }

        var known = active.Classes.ToHashSet(StringComparer.Ordinal);
        var newClasses = labels.Select(l => l.Condition).Where(c => !known.Contains(c)).Distinct().Order(StringComparer.Ordinal).ToList();
        return new RetrainingSet(
            Table(rows.Where((_, i) => !holdout.Contains(i)).ToList(), features),
            Table(rows.Where((_, i) => holdout.Contains(i)).ToList(), features),
            operatorRows, pseudo.Count(p => p is not null), pseudo.Count(p => p is null), newClasses, Snapshot(labels));
    }

    /// <summary>True when <paramref name="label"/> covers <paramref name="key"/>: same plant, and its string is <c>*</c>, the string id, or <c>INVERTER/STRING</c>.</summary>
    public static bool Covers(OperatorLabel label, StringKey key) =>
        label.Plant == key.Plant && (label.String == OperatorLabel.AllStrings || label.String == key.String || label.String == $"{key.Inverter}/{key.String}");

    private static float[] Row(in TelemetrySample s, IReadOnlyList<string> features)
    {
        var x = new float[features.Count];
        for (var f = 0; f < x.Length; f++) x[f] = (float)s[features[f]];
        return x;
    }

    private static string?[] PseudoLabel(IConditionModel model, List<float[]> rows, double confidence)
    {
        var d = model.Features.Count;
        var x = new float[rows.Count * d];
        for (var r = 0; r < rows.Count; r++) rows[r].CopyTo(x, r * d);
        var predicted = ModelPredictions.Of(model, x, rows.Count);
        var labels = new string?[rows.Count];
        for (var r = 0; r < rows.Count; r++)
            if (predicted.Confidence[r] >= confidence && !predicted.Anomalous[r]) labels[r] = model.Classes[predicted.Best[r]];
        return labels;
    }

    private static TabularData Table(List<(float[] X, string? Label, long Time, bool Operator)> rows, IReadOnlyList<string> features)
    {
        var d = features.Count;
        var x = new float[rows.Count * d];
        for (var i = 0; i < rows.Count; i++) rows[i].X.CopyTo(x, i * d);
        return new TabularData(x, rows.Count, features, rows.Select(r => r.Label).ToArray());
    }

    private static string Snapshot(IReadOnlyList<OperatorLabel> labels)
    {
        var text = new StringBuilder();
        foreach (var l in labels.OrderBy(l => l.Id))
            text.Append(CultureInfo.InvariantCulture, $"{l.Id}\t{l.Plant}\t{l.String}\t{l.From.ToUnixTimeMilliseconds()}\t{l.To.ToUnixTimeMilliseconds()}\t{l.Condition}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
