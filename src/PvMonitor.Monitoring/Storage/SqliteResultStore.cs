using Microsoft.Data.Sqlite;
using PvMonitor.Domain.Conditions;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;

namespace PvMonitor.Monitoring.Storage;

/// <summary>
/// The embedded result store (for <c>pvmonitor demo</c> and small sites): one SQLite file in WAL mode with tables
/// <c>pv_telemetry</c>, <c>pv_condition</c>, <c>pv_alert</c> and <c>pv_deadletter</c>. A batch is written in one transaction;
/// telemetry and condition rows are keyed by (plant, inverter, string, time) and written with <c>INSERT OR REPLACE</c>, so a
/// redelivered sample overwrites its row instead of duplicating it; alerts are keyed by (plant, inverter, strings, kind, repeat,
/// time) the same way. Per-class probabilities are columns <c>p_&lt;code&gt;</c> of <c>pv_condition</c>, added when a new class
/// appears; reconstruction z-scores (<see cref="ConditionRecord.ReconstructionZ"/>) likewise are columns <c>z_&lt;feature&gt;</c>,
/// added when a new feature appears (so a database written before z-scores were stored gains them on first use). Times are
/// stored as Unix milliseconds (UTC).
/// </summary>
/// <remarks>
/// Writes are serialised on one connection and run synchronously on the calling thread (SQLite has no real async I/O); reads
/// use a second connection and proceed concurrently with writes (WAL). SQLite column names are case-insensitive, so two class
/// codes (or two feature names) that differ only in case share a <c>p_</c> (<c>z_</c>) column. Non-finite probabilities and
/// z-scores are stored as null and are left out when read back.
/// </remarks>
public sealed partial class SqliteResultStore : IResultStore, IResultReader, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS pv_telemetry (
            plant TEXT NOT NULL, inverter TEXT NOT NULL, string TEXT NOT NULL, time INTEGER NOT NULL,
            i REAL NOT NULL, v REAL NOT NULL, g REAL NOT NULL, t_ext REAL NOT NULL, t_mod REAL NOT NULL, w REAL NOT NULL,
            PRIMARY KEY (plant, inverter, string, time)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS pv_condition (
            plant TEXT NOT NULL, inverter TEXT NOT NULL, string TEXT NOT NULL, time INTEGER NOT NULL,
            model_version TEXT NOT NULL, condition TEXT NOT NULL, confidence REAL, elbo REAL,
            anomaly INTEGER NOT NULL, night INTEGER NOT NULL,
            PRIMARY KEY (plant, inverter, string, time)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS pv_alert (
            plant TEXT NOT NULL, inverter TEXT NOT NULL, strings TEXT NOT NULL, kind TEXT NOT NULL, repeat INTEGER NOT NULL,
            time INTEGER NOT NULL, condition TEXT, confidence REAL, elbo REAL, from_time INTEGER NOT NULL, to_time INTEGER,
            model_version TEXT NOT NULL, link TEXT NOT NULL, sensors TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (plant, inverter, strings, kind, repeat, time)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS pv_alert_by_time ON pv_alert (time);
        CREATE TABLE IF NOT EXISTS pv_deadletter (
            id INTEGER PRIMARY KEY AUTOINCREMENT, received INTEGER NOT NULL, topic TEXT NOT NULL,
            payload BLOB NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL);
        """;

    private const int MaxCachedConditionCommands = 16;

    private readonly SqliteConnection _write;
    private readonly SqliteConnection _read;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _readLock = new(1, 1);
    private readonly HashSet<string> _valueColumns = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SqliteCommand> _conditionCommands = new(StringComparer.Ordinal);
    private readonly SqliteCommand _insertTelemetry;
    private readonly SqliteCommand _insertAlert;
    private readonly SqliteCommand _insertDeadLetter;
    private bool _disposed;

    /// <summary>Opens (creating if needed) the database at <see cref="SqliteStoreOptions.Path"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names the keys.</exception>
    /// <exception cref="StoreWriteException">The database cannot be opened or its schema created.</exception>
    public SqliteResultStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid SQLite store options: " + string.Join(" ", errors), nameof(options));
        Path = System.IO.Path.GetFullPath(options.Path);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        try
        {
            _write = new SqliteConnection(connectionString);
            _write.Open();
            Execute(_write, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={options.Synchronous.ToUpperInvariant()}; PRAGMA busy_timeout={options.BusyTimeoutMs};");
            Execute(_write, Schema);
            MigrateAlertSensors();
            LoadValueColumns();
            _read = new SqliteConnection(connectionString);
            _read.Open();
            Execute(_read, $"PRAGMA busy_timeout={options.BusyTimeoutMs}; PRAGMA query_only=1;");
        }
        catch (SqliteException ex)
        {
            _write?.Dispose();
            throw new StoreWriteException($"Cannot open the SQLite store at '{Path}': {ex.Message}", ex);
        }

        _insertTelemetry = Prepare("""
            INSERT OR REPLACE INTO pv_telemetry (plant, inverter, string, time, i, v, g, t_ext, t_mod, w)
            VALUES ($plant, $inverter, $string, $time, $i, $v, $g, $t_ext, $t_mod, $w)
            """, "$plant", "$inverter", "$string", "$time", "$i", "$v", "$g", "$t_ext", "$t_mod", "$w");
        _insertAlert = Prepare("""
            INSERT OR REPLACE INTO pv_alert (plant, inverter, strings, kind, repeat, time, condition, confidence, elbo, from_time, to_time, model_version, link, sensors)
            VALUES ($plant, $inverter, $strings, $kind, $repeat, $time, $condition, $confidence, $elbo, $from, $to, $model_version, $link, $sensors)
            """, "$plant", "$inverter", "$strings", "$kind", "$repeat", "$time", "$condition", "$confidence", "$elbo", "$from", "$to", "$model_version", "$link", "$sensors");
        _insertDeadLetter = Prepare("""
            INSERT INTO pv_deadletter (received, topic, payload, reason, message) VALUES ($received, $topic, $payload, $reason, $message)
            """, "$received", "$topic", "$payload", "$reason", "$message");
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public async ValueTask WriteAsync(ResultBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (batch.IsEmpty) return;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureValueColumns(batch.Conditions);
            using var tx = _write.BeginTransaction();
            WriteTelemetry(batch.Telemetry, tx);
            WriteConditions(batch.Conditions, tx);
            WriteAlerts(batch.Alerts, tx);
            WriteDeadLetters(batch.DeadLetters, tx);
            tx.Commit();
        }
        catch (SqliteException ex)
        {
            throw new StoreWriteException($"Writing a batch of {batch.Count} rows to '{Path}' failed: {ex.Message}", ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _writeLock.Wait();
        _readLock.Wait();
        foreach (var c in _conditionCommands.Values) c.Dispose();
        _insertTelemetry.Dispose();
        _insertAlert.Dispose();
        _insertDeadLetter.Dispose();
        _read.Dispose();
        _write.Dispose();
        _writeLock.Release();
        _readLock.Release();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void WriteTelemetry(List<TelemetryRecord> rows, SqliteTransaction tx)
    {
        var p = _insertTelemetry.Parameters;
        _insertTelemetry.Transaction = tx;
        foreach (var r in rows)
        {
            var s = r.Sample;
            p[0].Value = r.Key.Plant;
            p[1].Value = r.Key.Inverter;
            p[2].Value = r.Key.String;
            p[3].Value = s.Time.ToUnixTimeMilliseconds();
            p[4].Value = s.I;
            p[5].Value = s.V;
            p[6].Value = s.G;
            p[7].Value = s.TExt;
            p[8].Value = s.TMod;
            p[9].Value = s.W;
            _insertTelemetry.ExecuteNonQuery();
        }
    }

    private void WriteConditions(List<ConditionRecord> rows, SqliteTransaction tx)
    {
        IReadOnlyList<string>? lastCodes = null;
        IReadOnlyList<string>? lastFeatures = null;
        SqliteCommand? command = null;
        foreach (var r in rows)
        {
            if (r.Probabilities.Length != r.ClassCodes.Count)
                throw new StoreWriteException($"Condition row {r.Key} at {r.Time:O}: {r.Probabilities.Length} probabilities for {r.ClassCodes.Count} class codes.");
            var features = ZFeatures(r);
            if (command is null || !ReferenceEquals(lastCodes, r.ClassCodes) || !ReferenceEquals(lastFeatures, features))
            {
                command = ConditionCommand(r.ClassCodes, features);
                command.Transaction = tx;
                lastCodes = r.ClassCodes;
                lastFeatures = features;
            }

            var p = command.Parameters;
            p[0].Value = r.Key.Plant;
            p[1].Value = r.Key.Inverter;
            p[2].Value = r.Key.String;
            p[3].Value = r.Time.ToUnixTimeMilliseconds();
            p[4].Value = r.ModelVersion;
            p[5].Value = r.Condition;
            p[6].Value = NullIfNotFinite(r.Confidence);
            p[7].Value = NullIfNotFinite(r.Elbo);
            p[8].Value = r.Anomaly ? 1 : 0;
            p[9].Value = r.Night ? 1 : 0;
            var probabilities = r.Probabilities.Span;
            for (var k = 0; k < probabilities.Length; k++) p[10 + k].Value = NullIfNotFinite(probabilities[k]);
            var z = r.ReconstructionZ.Span;
            var first = 10 + probabilities.Length;
            for (var f = 0; f < features.Count; f++) p[first + f].Value = float.IsFinite(z[f]) ? (double)z[f] : DBNull.Value;
            command.ExecuteNonQuery();
        }
    }

    private void WriteAlerts(List<AlertEvent> rows, SqliteTransaction tx)
    {
        var p = _insertAlert.Parameters;
        _insertAlert.Transaction = tx;
        foreach (var a in rows)
        {
            p[0].Value = a.Plant;
            p[1].Value = a.Inverter;
            p[2].Value = a.StringList;
            p[3].Value = a.Kind.ToWireName();
            p[4].Value = a.IsRepeat ? 1 : 0;
            p[5].Value = a.Time.ToUnixTimeMilliseconds();
            p[6].Value = (object?)a.Condition ?? DBNull.Value;
            p[7].Value = NullIfNotFinite(a.Confidence);
            p[8].Value = NullIfNotFinite(a.Elbo);
            p[9].Value = a.From.ToUnixTimeMilliseconds();
            p[10].Value = a.To is { } to ? to.ToUnixTimeMilliseconds() : DBNull.Value;
            p[11].Value = a.ModelVersion;
            p[12].Value = a.Link;
            p[13].Value = SensorScore.Format(a.Sensors);
            _insertAlert.ExecuteNonQuery();
        }
    }

    private void WriteDeadLetters(List<DeadLetterRecord> rows, SqliteTransaction tx)
    {
        var p = _insertDeadLetter.Parameters;
        _insertDeadLetter.Transaction = tx;
        foreach (var d in rows)
        {
            p[0].Value = d.Received.ToUnixTimeMilliseconds();
            p[1].Value = d.Topic;
            p[2].Value = d.Payload.ToArray();
            p[3].Value = d.Reason.ToLabel();
            p[4].Value = d.Message;
            _insertDeadLetter.ExecuteNonQuery();
        }
    }

    /// <summary>The feature names whose z-scores a row carries: none without z-scores; throws when names and values disagree.</summary>
    private static IReadOnlyList<string> ZFeatures(in ConditionRecord r)
    {
        if (r.ReconstructionZ.IsEmpty) return Array.Empty<string>();
        if (r.Features is not { } features || features.Count != r.ReconstructionZ.Length)
            throw new StoreWriteException($"Condition row {r.Key} at {r.Time:O}: {r.ReconstructionZ.Length} z-scores for {r.Features?.Count ?? 0} feature names.");
        return features;
    }

    private SqliteCommand ConditionCommand(IReadOnlyList<string> codes, IReadOnlyList<string> features)
    {
        var key = string.Join('\u0001', codes) + "\u0002" + string.Join('\u0001', features);
        if (_conditionCommands.TryGetValue(key, out var cached)) return cached;
        if (_conditionCommands.Count >= MaxCachedConditionCommands)
        {
            foreach (var c in _conditionCommands.Values) c.Dispose();
            _conditionCommands.Clear();
        }

        var columns = "plant, inverter, string, time, model_version, condition, confidence, elbo, anomaly, night";
        var values = "$plant, $inverter, $string, $time, $model_version, $condition, $confidence, $elbo, $anomaly, $night";
        var names = new List<string> { "$plant", "$inverter", "$string", "$time", "$model_version", "$condition", "$confidence", "$elbo", "$anomaly", "$night" };
        for (var k = 0; k < codes.Count; k++)
        {
            columns += ", " + ProbabilityColumn(codes[k]);
            values += ", $p" + k;
            names.Add("$p" + k);
        }

        for (var f = 0; f < features.Count; f++)
        {
            columns += ", " + ZColumn(features[f]);
            values += ", $z" + f;
            names.Add("$z" + f);
        }

        var command = Prepare($"INSERT OR REPLACE INTO pv_condition ({columns}) VALUES ({values})", [.. names]);
        _conditionCommands.Add(key, command);
        return command;
    }

    private void EnsureValueColumns(List<ConditionRecord> rows)
    {
        IReadOnlyList<string>? lastCodes = null;
        IReadOnlyList<string>? lastFeatures = null;
        foreach (var r in rows)
        {
            if (!ReferenceEquals(lastCodes, r.ClassCodes))
            {
                lastCodes = r.ClassCodes;
                foreach (var code in r.ClassCodes)
                {
                    if (!ConditionCatalog.IsValidCode(code))
                        throw new StoreWriteException($"Class code '{code}' of condition row {r.Key} is invalid (1–32 letters, digits, '_' or '-').");
                    EnsureColumn("p_" + code);
                }
            }

            if (r.ReconstructionZ.IsEmpty || r.Features is not { } features || ReferenceEquals(lastFeatures, features)) continue;
            lastFeatures = features;
            foreach (var feature in features)
            {
                if (!ConditionCatalog.IsValidCode(feature))
                    throw new StoreWriteException($"Feature name '{feature}' of condition row {r.Key} is invalid (1–32 letters, digits, '_' or '-').");
                EnsureColumn("z_" + feature);
            }
        }
    }

    /// <summary>Files written before alerts carried sensors lack the column: add it (existing rows read back with none).</summary>
    private void MigrateAlertSensors()
    {
        using var cmd = _write.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM pragma_table_info('pv_alert') WHERE name = 'sensors'";
        if (Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            Execute(_write, "ALTER TABLE pv_alert ADD COLUMN sensors TEXT NOT NULL DEFAULT ''");
    }

    private void EnsureColumn(string name)
    {
        if (_valueColumns.Contains(name)) return;
        Execute(_write, $"ALTER TABLE pv_condition ADD COLUMN \"{name}\" REAL");
        _valueColumns.Add(name);
    }

    private void LoadValueColumns()
    {
        using var cmd = _write.CreateCommand();
        cmd.CommandText = "SELECT name FROM pragma_table_info('pv_condition') WHERE name LIKE 'p\\_%' ESCAPE '\\' OR name LIKE 'z\\_%' ESCAPE '\\'";
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) _valueColumns.Add(reader.GetString(0));
    }

    private static string ProbabilityColumn(string code) => "\"p_" + code + "\"";

    private static string ZColumn(string feature) => "\"z_" + feature + "\"";

    private static object NullIfNotFinite(double value) => double.IsFinite(value) ? value : DBNull.Value;

    private SqliteCommand Prepare(string sql, params string[] parameterNames)
    {
        var cmd = _write.CreateCommand();
        cmd.CommandText = sql;
        foreach (var name in parameterNames) cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        return cmd;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
