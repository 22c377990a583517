using System.Globalization;
using System.IO.Compression;
using System.Text;
using PvMonitor.Learning.Data;

namespace PvMonitor.Learning.Models;

/// <summary>
/// A bounded, stratified sample of a model's labelled training rows, kept beside the model
/// (<see cref="FileName"/>, gzip-compressed CSV with the feature columns and <c>label</c>) so that a retraining can replay
/// the conditions the model already knows instead of forgetting the ones nobody labelled again. Rows are drawn per class
/// with a seeded random source (the same data and seed give the same snapshot) and keep the data's order.
/// </summary>
public static class TrainingSnapshot
{
    /// <summary>The snapshot's file name inside a model directory.</summary>
    public const string FileName = "training-snapshot.csv.gz";

    /// <summary>Default number of rows kept per class (2000: 10 classes ≈ 20,000 rows, ~0.4 MB compressed).</summary>
    public const int DefaultRowsPerClass = 2000;

    private const string LabelColumn = "label";

    /// <summary>
    /// Up to <paramref name="rowsPerClass"/> labelled rows of each class of <paramref name="data"/> (all of a class's rows
    /// when it has fewer), in the data's order; unlabeled rows, and rows of classes not in <paramref name="classes"/> when it
    /// is given, are left out.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowsPerClass"/> is below 1.</exception>
    public static TabularData Sample(TabularData data, int rowsPerClass, ulong seed, IReadOnlyCollection<string>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerClass, 1);
        var random = new RandomSource(seed);
        var keep = new List<int>();
        foreach (var label in data.DistinctLabels().Order(StringComparer.Ordinal))
        {
            if (classes is not null && !classes.Contains(label, StringComparer.Ordinal)) continue;
            var rows = new List<int>();
            for (var i = 0; i < data.Rows; i++)
                if (string.Equals(data.Labels[i], label, StringComparison.Ordinal)) rows.Add(i);
            if (rows.Count > rowsPerClass)
            {
                var order = Sampling.Permutation(rows.Count, random);
                rows = order[..rowsPerClass].Select(j => rows[j]).ToList();
            }

            keep.AddRange(rows);
        }

        keep.Sort();
        return data.Select(keep.ToArray());
    }

    /// <summary>Writes <paramref name="data"/>'s labelled rows to <paramref name="stream"/> (gzip CSV; floats round-trip exactly).</summary>
    public static void Write(Stream stream, TabularData data)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(data);
        using var gzip = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(false), 1 << 16);
        writer.NewLine = "\n";
        writer.WriteLine(string.Join(',', data.FeatureNames) + "," + LabelColumn);
        var line = new StringBuilder();
        for (var r = 0; r < data.Rows; r++)
        {
            if (data.Labels[r] is not { } label) continue;
            line.Clear();
            foreach (var value in data.Row(r)) line.Append(value.ToString("R", CultureInfo.InvariantCulture)).Append(',');
            line.Append(label);
            writer.WriteLine(line);
        }
    }

    /// <summary>Reads a snapshot written by <see cref="Write"/>, with <paramref name="features"/> in that order.</summary>
    /// <exception cref="DataFormatException">The content is not a snapshot of these features.</exception>
    public static TabularData Read(Stream stream, IReadOnlyList<string> features)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            return CsvTableReader.Read(reader, features, LabelColumn);
        }
        catch (InvalidDataException ex)
        {
            throw new DataFormatException($"Not a gzip-compressed training snapshot: {ex.Message}");
        }
    }
}
