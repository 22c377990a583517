namespace PvMonitor.Monitoring.Storage.Influx.Query;

/// <summary>
/// One series of an InfluxQL result: its name, tags (for GROUP BY queries), column names and rows.
/// Values are <see cref="long"/> (numbers written without fraction or exponent: integers, epoch timestamps, and floats such as
/// 2.0, which InfluxDB's JSON writes as <c>2</c>), <see cref="double"/>, <see cref="string"/>, <see cref="bool"/> or null.
/// </summary>
public sealed record InfluxSeries(
    string Name,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Columns,
    IReadOnlyList<object?[]> Rows)
{
    /// <summary>The index of <paramref name="column"/>, or -1.</summary>
    public int ColumnIndex(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.Ordinal))
                return i;
        }

        return -1;
    }
}
