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
    private const long HourMs = 3_600_000;

    /// <summary>
    /// Daylight telemetry (G ≥ <paramref name="nightThreshold"/>) of every labelled range, the active model's training
    /// snapshot (its known conditions, replayed so they are not forgotten), plus up to <see cref="RetrainOptions.UnlabeledRows"/>
    /// recent unlabeled daylight rows (evenly from every string, outside labelled ranges), pseudo-labelled by
    /// <paramref name="active"/> where it is confident. Held out for the gate: whole hours of the operator-labelled rows (every
    /// n-th hour, n = 1 / <see cref="RetrainOptions.HoldoutShare"/>; a condition labelled over too few hours for that: its
    /// latest rows) and a seeded share of each class of the snapshot; pseudo-labelled rows are never held out (the active
    /// model labelled them, so it would judge itself).
    /// </summary>
    /// <exception cref="InvalidOperationException">No label covers any stored daylight telemetry.</exception>
    public static async Task<RetrainingSet> BuildAsync(IResultReader reader, IReadOnlyList<OperatorLabel> labels, IConditionModel active, TabularData? snapshot,
        RetrainOptions options, double nightThreshold, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var features = active.Features;
        var latest = (await reader.GetLatestAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Max(s => s.Time));
        var keys = latest.Keys.OrderBy(k => k.ToString(), StringComparer.Ordinal).ToList();
        var labelled = new Dictionary<StringKey, List<(DateTimeOffset From, DateTimeOffset To)>>();
        var operatorRows = new List<(float[] X, string Label, long Time)>();
        foreach (var label in labels.OrderBy(l => l.Id))
        {
            foreach (var key in keys.Where(k => Covers(label, k)))
            {
                (labelled.TryGetValue(key, out var ranges) ? ranges : labelled[key] = []).Add((label.From, label.To));
                var telemetry = await reader.GetTelemetryAsync(key, label.From, label.To, 100_000, cancellationToken).ConfigureAwait(false);
                foreach (var t in telemetry)
                    if (t.Sample.G >= nightThreshold) operatorRows.Add((Row(t.Sample, features), label.Condition, t.Sample.Time.ToUnixTimeMilliseconds()));
            }
        }

        if (operatorRows.Count == 0) throw new InvalidOperationException("No label covers stored daylight telemetry: label anomalous periods first (POST /api/labels).");

        // Unlabeled reservoir: the latest rows of every string (up to UnlabeledHistory before its latest sample, so replayed
        // or old data counts too), outside labelled ranges.
        var perKey = keys.Count == 0 ? 0 : Math.Max(1, options.UnlabeledRows / keys.Count);
        var unlabeled = new List<float[]>();
        foreach (var key in keys)
        {
            if (options.UnlabeledRows == 0) break;
            var end = latest[key] < now ? latest[key].AddMilliseconds(1) : now;
            var telemetry = await reader.GetTelemetryAsync(key, end - options.UnlabeledHistory, end, 100_000, cancellationToken).ConfigureAwait(false);
            var ranges = labelled.GetValueOrDefault(key);
            var candidates = telemetry.Where(t => t.Sample.G >= nightThreshold && (ranges is null || !ranges.Any(r => t.Sample.Time >= r.From && t.Sample.Time < r.To)))
                .TakeLast(perKey);
            unlabeled.AddRange(candidates.Select(t => Row(t.Sample, features)));
        }

        var pseudo = PseudoLabel(active, unlabeled, options.PseudoLabelConfidence);
        var training = new List<(float[] X, string? Label)>();
        var holdout = new List<(float[] X, string? Label)>();

        // Operator rows: whole hours held out, every n-th hour (n = 1 / HoldoutShare) — by time, not random rows, so
        // neighbouring minutes do not leak into training, and spread over the day, so the held-out rows are not only
        // (say) the evening of the last labelled day, when a fault is hardest to see.
        // A condition labelled over too few hours for that (less than half its share lands in held-out hours) has its
        // latest rows held out instead.
        var period = Math.Max(2, (int)Math.Round(1 / options.HoldoutShare));
        foreach (var group in operatorRows.GroupBy(r => r.Label, StringComparer.Ordinal))
        {
            var rows = group.ToList();
            var blocked = rows.Where(r => r.Time / HourMs % period == period - 1).ToHashSet();
            if (blocked.Count < rows.Count * options.HoldoutShare / 2)
                blocked = rows.OrderBy(r => r.Time).TakeLast((int)Math.Floor(rows.Count * options.HoldoutShare)).ToHashSet();
            foreach (var row in rows) (blocked.Contains(row) ? holdout : training).Add((row.X, row.Label));
        }

        // The snapshot: a seeded HoldoutShare of each class held out, the rest replayed.
        var snapshotRows = new List<(float[] X, string Label)>();
        if (snapshot is not null)
        {
            if (!snapshot.FeatureNames.SequenceEqual(features, StringComparer.Ordinal))
                throw new InvalidOperationException($"The active model's training snapshot has features {string.Join(",", snapshot.FeatureNames)}, the model {string.Join(",", features)}.");
            var random = new RandomSource(options.Seed);
            for (var r = 0; r < snapshot.Rows; r++)
                if (snapshot.Labels[r] is { } l) snapshotRows.Add((snapshot.Row(r).ToArray(), l));
            foreach (var group in snapshotRows.GroupBy(r => r.Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var rows = group.ToList();
                var order = Sampling.Permutation(rows.Count, random);
                var count = (int)Math.Floor(rows.Count * options.HoldoutShare);
                for (var i = 0; i < order.Length; i++) (i < count ? holdout : training).Add((rows[order[i]].X, rows[order[i]].Label));
            }
        }

        for (var i = 0; i < unlabeled.Count; i++) training.Add((unlabeled[i], pseudo[i]));

        var known = active.Classes.ToHashSet(StringComparer.Ordinal);
        var newClasses = labels.Select(l => l.Condition).Where(c => !known.Contains(c)).Distinct().Order(StringComparer.Ordinal).ToList();
        var labelledRows = Table(operatorRows.Select(r => (r.X, (string?)r.Label)).Concat(snapshotRows.Select(r => (r.X, (string?)r.Label))).ToList(), features);
        return new RetrainingSet(Table(training, features), Table(holdout, features), operatorRows.Count, snapshotRows.Count,
            pseudo.Count(p => p is not null), pseudo.Count(p => p is null), newClasses, LabelHash(labels),
            TrainingSnapshot.Sample(labelledRows, options.SnapshotRowsPerClass, options.Seed));
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

    private static TabularData Table(List<(float[] X, string? Label)> rows, IReadOnlyList<string> features)
    {
        var d = features.Count;
        var x = new float[rows.Count * d];
        for (var i = 0; i < rows.Count; i++) rows[i].X.CopyTo(x, i * d);
        return new TabularData(x, rows.Count, features, rows.Select(r => r.Label).ToArray());
    }

    /// <summary>SHA-256 (hex) of the labels (id, plant, string, range, condition): equal hashes mean the same labels.</summary>
    public static string LabelHash(IReadOnlyList<OperatorLabel> labels)
    {
        var text = new StringBuilder();
        foreach (var l in labels.OrderBy(l => l.Id))
            text.Append(CultureInfo.InvariantCulture, $"{l.Id}\t{l.Plant}\t{l.String}\t{l.From.ToUnixTimeMilliseconds()}\t{l.To.ToUnixTimeMilliseconds()}\t{l.Condition}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
