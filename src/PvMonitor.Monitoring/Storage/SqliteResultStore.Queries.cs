using Microsoft.Data.Sqlite;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;

namespace PvMonitor.Monitoring.Storage;

/// <summary>The read side of the SQLite store (see <see cref="IResultReader"/>).</summary>
public sealed partial class SqliteResultStore
{
    private static readonly Dictionary<string, DeadLetterReason> ReasonsByLabel =
        DeadLetterReasonExtensions.All.ToDictionary(r => r.ToLabel(), StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<IReadOnlyList<StringStatus>> GetLatestAsync(CancellationToken cancellationToken = default) =>
        QueryAsync(cmd =>
        {
            // SQLite returns the bare columns of the row holding MAX(time) in each group.
            cmd.CommandText = """
                SELECT plant, inverter, string, MAX(time), model_version, condition, confidence, elbo, anomaly, night
                FROM pv_condition GROUP BY plant, inverter, string ORDER BY plant, inverter, string
                """;
        }, r => new StringStatus(
            new StringKey(r.GetString(0), r.GetString(1), r.GetString(2)), FromMs(r.GetInt64(3)), r.GetString(4), r.GetString(5),
            DoubleOrNaN(r, 6), DoubleOrNaN(r, 7), r.GetInt64(8) != 0, r.GetInt64(9) != 0), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ConditionRecord>> GetConditionHistoryAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit = 10_000, CancellationToken cancellationToken = default) =>
        QueryAsync(cmd =>
        {
            cmd.CommandText = """
                SELECT * FROM pv_condition
                WHERE plant = $plant AND inverter = $inverter AND string = $string AND time >= $from AND time < $to
                ORDER BY time LIMIT $limit
                """;
            AddRange(cmd, key, from, to, limit);
        }, ReadCondition, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TelemetryRecord>> GetTelemetryAsync(StringKey key, DateTimeOffset from, DateTimeOffset to, int limit = 10_000, CancellationToken cancellationToken = default) =>
        QueryAsync(cmd =>
        {
            cmd.CommandText = """
                SELECT plant, inverter, string, time, i, v, g, t_ext, t_mod, w FROM pv_telemetry
                WHERE plant = $plant AND inverter = $inverter AND string = $string AND time >= $from AND time < $to
                ORDER BY time LIMIT $limit
                """;
            AddRange(cmd, key, from, to, limit);
        }, r => new TelemetryRecord(
            new StringKey(r.GetString(0), r.GetString(1), r.GetString(2)),
            new TelemetrySample(FromMs(r.GetInt64(3)), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6), r.GetDouble(7), r.GetDouble(8), r.GetDouble(9))),
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertEvent>> GetAlertsAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = 100, CancellationToken cancellationToken = default) =>
        QueryAsync(cmd =>
        {
            cmd.CommandText = """
                SELECT plant, inverter, strings, kind, repeat, time, condition, confidence, elbo, from_time, to_time, model_version, link, sensors
                FROM pv_alert WHERE time >= $from AND time < $to ORDER BY time DESC, plant, inverter, strings, kind LIMIT $limit
                """;
            cmd.Parameters.AddWithValue("$from", from?.ToUnixTimeMilliseconds() ?? long.MinValue);
            cmd.Parameters.AddWithValue("$to", to?.ToUnixTimeMilliseconds() ?? long.MaxValue);
            cmd.Parameters.AddWithValue("$limit", Math.Max(0, limit));
        }, r => new AlertEvent(
            r.GetString(0), r.GetString(1), r.GetString(2).Split(','), AlertKindExtensions.ParseWireName(r.GetString(3)), r.GetInt64(4) != 0,
            r.IsDBNull(6) ? null : r.GetString(6), DoubleOrNaN(r, 7), DoubleOrNaN(r, 8), FromMs(r.GetInt64(9)),
            r.IsDBNull(10) ? null : FromMs(r.GetInt64(10)), FromMs(r.GetInt64(5)), r.GetString(11), r.GetString(12))
        {
            Sensors = SensorScore.Parse(r.GetString(13)),
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetterRecord>> GetDeadLettersAsync(int limit = 100, CancellationToken cancellationToken = default) =>
        QueryAsync(cmd =>
        {
            cmd.CommandText = "SELECT received, topic, payload, reason, message FROM pv_deadletter ORDER BY id DESC LIMIT $limit";
            cmd.Parameters.AddWithValue("$limit", Math.Max(0, limit));
        }, r => new DeadLetterRecord(
            FromMs(r.GetInt64(0)), r.GetString(1), (byte[])r.GetValue(2),
            ReasonsByLabel.TryGetValue(r.GetString(3), out var reason) ? reason : DeadLetterReason.ProcessingFailed, r.GetString(4)),
            cancellationToken);

    /// <inheritdoc />
    public async Task<StoreCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(cmd =>
        {
            cmd.CommandText = """
                SELECT (SELECT COUNT(*) FROM pv_telemetry), (SELECT COUNT(*) FROM pv_condition), (SELECT COUNT(*) FROM pv_alert),
                       (SELECT COUNT(*) FROM pv_deadletter),
                       (SELECT COUNT(*) FROM (SELECT DISTINCT plant, inverter, string FROM pv_telemetry))
                """;
        }, r => new StoreCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)), cancellationToken).ConfigureAwait(false);
        return rows[0];
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(Action<SqliteCommand> setup, Func<SqliteDataReader, T> map, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _readLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var cmd = _read.CreateCommand();
            setup(cmd);
            using var reader = cmd.ExecuteReader();
            var result = new List<T>();
            while (reader.Read())
            {
                ct.ThrowIfCancellationRequested();
                result.Add(map(reader));
            }

            return result;
        }
        finally
        {
            _readLock.Release();
        }
    }

    private static ConditionRecord ReadCondition(SqliteDataReader r)
    {
        var codes = new List<string>();
        var probabilities = new List<double>();
        List<string>? features = null;
        List<float>? z = null;
        for (var k = 0; k < r.FieldCount; k++)
        {
            var name = r.GetName(k);
            if (r.IsDBNull(k)) continue;
            if (name.StartsWith("p_", StringComparison.OrdinalIgnoreCase))
            {
                codes.Add(name[2..]);
                probabilities.Add(r.GetDouble(k));
            }
            else if (name.StartsWith("z_", StringComparison.OrdinalIgnoreCase))
            {
                (features ??= []).Add(name[2..]);
                (z ??= []).Add((float)r.GetDouble(k));
            }
        }

        return new ConditionRecord(
            new StringKey(r.GetString(r.GetOrdinal("plant")), r.GetString(r.GetOrdinal("inverter")), r.GetString(r.GetOrdinal("string"))),
            FromMs(r.GetInt64(r.GetOrdinal("time"))), r.GetString(r.GetOrdinal("model_version")), r.GetString(r.GetOrdinal("condition")),
            DoubleOrNaN(r, r.GetOrdinal("confidence")), codes, probabilities.ToArray(), DoubleOrNaN(r, r.GetOrdinal("elbo")),
            r.GetInt64(r.GetOrdinal("anomaly")) != 0, r.GetInt64(r.GetOrdinal("night")) != 0)
        {
            Features = features,
            ReconstructionZ = z is null ? ReadOnlyMemory<float>.Empty : z.ToArray(),
        };
    }

    private static void AddRange(SqliteCommand cmd, StringKey key, DateTimeOffset from, DateTimeOffset to, int limit)
    {
        cmd.Parameters.AddWithValue("$plant", key.Plant);
        cmd.Parameters.AddWithValue("$inverter", key.Inverter);
        cmd.Parameters.AddWithValue("$string", key.String);
        cmd.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$limit", Math.Max(0, limit));
    }

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static double DoubleOrNaN(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? double.NaN : r.GetDouble(ordinal);
}
