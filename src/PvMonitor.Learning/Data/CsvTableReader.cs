using System.Globalization;

namespace PvMonitor.Learning.Data;

/// <summary>
/// Reads the numeric columns and an optional label column of a comma-separated file with a header line
/// (e.g. <c>time,plant,string,I,V,G,TExt,TMod,W,label</c> from <c>pvmonitor simulate</c>). Numbers use the invariant
/// culture; quoted fields are not supported; blank lines are skipped. An empty label means "unlabeled".
/// </summary>
public static class CsvTableReader
{
    /// <summary>Reads <paramref name="featureColumns"/> (in that order) and <paramref name="labelColumn"/> (or none).</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="featureColumns">Numeric columns to read, by header name (case-sensitive).</param>
    /// <param name="labelColumn">The label column, or null to read no labels. A missing label column is an error
    /// unless <paramref name="labelOptional"/> is true, in which case every row is unlabeled.</param>
    /// <param name="labelOptional">Whether the label column may be absent.</param>
    /// <exception cref="DataFormatException">A column is missing, a value is not a finite number, or a row has too few fields; the message names line and column.</exception>
    public static TabularData Read(TextReader reader, IReadOnlyList<string> featureColumns, string? labelColumn, bool labelOptional = false)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(featureColumns);
        if (featureColumns.Count == 0) throw new ArgumentException("At least one feature column is needed.", nameof(featureColumns));

        var header = reader.ReadLine() ?? throw new DataFormatException("The file is empty: expected a header line.");
        var names = header.Split(',', StringSplitOptions.TrimEntries);
        var featureIndex = new int[featureColumns.Count];
        for (int i = 0; i < featureColumns.Count; i++)
        {
            featureIndex[i] = Array.IndexOf(names, featureColumns[i]);
            if (featureIndex[i] < 0)
                throw new DataFormatException($"Column '{featureColumns[i]}' not found in the header ({string.Join(",", names)}).");
        }

        int labelIndex = labelColumn is null ? -1 : Array.IndexOf(names, labelColumn);
        if (labelColumn is not null && labelIndex < 0 && !labelOptional)
            throw new DataFormatException($"Label column '{labelColumn}' not found in the header ({string.Join(",", names)}).");

        int needed = Math.Max(featureIndex.Max(), labelIndex) + 1;
        var features = new List<float>(1 << 16);
        var labels = new List<string?>(1 << 12);
        var labelPool = new Dictionary<string, string>(StringComparer.Ordinal);
        var fields = new Range[names.Length + 1];
        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line)) continue;
            var span = line.AsSpan();
            int count = span.Split(fields, ',');
            if (count < needed)
                throw new DataFormatException($"Line {lineNumber}: {count} fields, expected {names.Length} as in the header.");
            for (int i = 0; i < featureIndex.Length; i++)
            {
                var text = span[fields[featureIndex[i]]].Trim();
                if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value))
                    throw new DataFormatException($"Line {lineNumber}, column '{featureColumns[i]}': '{text.ToString()}' is not a finite number.");
                features.Add(value);
            }

            string? label = null;
            if (labelIndex >= 0)
            {
                var text = span[fields[labelIndex]].Trim();
                if (!text.IsEmpty)
                {
                    var lookup = labelPool.GetAlternateLookup<ReadOnlySpan<char>>();
                    if (!lookup.TryGetValue(text, out label))
                    {
                        label = text.ToString();
                        labelPool[label] = label;
                    }
                }
            }

            labels.Add(label);
        }

        return new TabularData(features.ToArray(), labels.Count, featureColumns.ToArray(), labels.ToArray());
    }
}
