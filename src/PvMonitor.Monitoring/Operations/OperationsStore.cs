using System.Globalization;
using Microsoft.Data.Sqlite;
using PvMonitor.Domain.Conditions;

namespace PvMonitor.Monitoring.Operations;

/// <summary>
/// What operators write: the condition catalog (Table II's ten seeded, plus those operators create), labels, and the audit
/// trail of every write. One SQLite file (WAL, <c>synchronous=FULL</c>) with versioned migrations (<c>PRAGMA user_version</c>;
/// see <see cref="Migrations"/>). Every write is validated (messages name the field; overlapping labels are refused naming
/// the label they overlap) and audited in the same transaction. Thread-safe: writes are serialised.
/// </summary>
public sealed class OperationsStore : IDisposable
{
    /// <summary>
    /// Schema migrations, applied in order once each: migration <c>i</c> brings the file to <c>user_version = i + 1</c>. Append
    /// only; never edit a released one.
    /// </summary>
    public static IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE conditions (code TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, severity TEXT NOT NULL,
                                 created_by TEXT NOT NULL, created_ms INTEGER NOT NULL);
        CREATE TABLE labels (id INTEGER PRIMARY KEY AUTOINCREMENT, plant TEXT NOT NULL, string TEXT NOT NULL, from_ms INTEGER NOT NULL,
                             to_ms INTEGER NOT NULL, condition TEXT NOT NULL REFERENCES conditions(code), note TEXT NOT NULL,
                             author TEXT NOT NULL, created_ms INTEGER NOT NULL);
        CREATE INDEX labels_plant_time ON labels(plant, from_ms, to_ms);
        CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL);
        """,
    ];

    /// <summary>Longest note, characters.</summary>
    public const int MaxNoteLength = 2000;

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private OperationsStore(SqliteConnection connection, TimeProvider time)
    {
        _connection = connection;
        _time = time;
    }

    /// <summary>The file in use.</summary>
    public required string Path { get; init; }

    /// <summary>Opens (creating and migrating) the store at <paramref name="path"/> and seeds Table II's conditions on first use.</summary>
    /// <exception cref="InvalidDataException">The file was written by a newer version (its schema is ahead of <see cref="Migrations"/>).</exception>
    public static OperationsStore Open(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var clock = time ?? TimeProvider.System;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
            Migrate(connection, clock);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new OperationsStore(connection, clock) { Path = path };
    }

    /// <summary>The schema version of the open file.</summary>
    public int SchemaVersion => Convert.ToInt32(Scalar(_connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);

    /// <summary>Every condition, seeded ones first, then by creation.</summary>
    public async Task<IReadOnlyList<CatalogCondition>> GetConditionsAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT code, name, description, severity, created_by, created_ms FROM conditions ORDER BY created_ms, rowid";
            var list = new List<CatalogCondition>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ConditionSeverityNames.TryParse(reader.GetString(3), out var severity);
                list.Add(new CatalogCondition(reader.GetString(0), reader.GetString(1), reader.GetString(2), severity, reader.GetString(4), FromMs(reader.GetInt64(5))));
            }

            return list;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Adds an operator's condition.</summary>
    /// <exception cref="OperationRejectedException">A field is invalid (400) or the code exists (409).</exception>
    public async Task<CatalogCondition> AddConditionAsync(NewCondition request, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var code = request.Code?.Trim() ?? "";
        if (!ConditionCatalog.IsValidCode(code)) throw Invalid("code", $"code '{request.Code}' is invalid: use 1–32 letters, digits, '_' or '-'.");
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 80) throw Invalid("name", "name must be 1–80 characters.");
        var description = request.Description?.Trim() ?? "";
        if (description.Length > MaxNoteLength) throw Invalid("description", $"description must be at most {MaxNoteLength} characters.");
        if (!ConditionSeverityNames.TryParse(request.Severity, out var severity)) throw Invalid("severity", $"severity '{request.Severity}' must be info, warning or fault.");
        var condition = new CatalogCondition(code, name, description, severity, actor, _time.GetUtcNow());

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var tx = _connection.BeginTransaction();
            if (Scalar(_connection, "SELECT count(*) FROM conditions WHERE code = $c COLLATE NOCASE", tx, ("$c", code)) is long n && n > 0)
                throw new OperationRejectedException(RejectionKind.Conflict, "code", $"code '{code}' already exists in the condition catalog.");
            Insert(_connection, tx, condition);
            var audit = Audit(tx, actor, "condition.create", $"{code} ({severity.ToWireName()}): {name}");
            tx.Commit();
            Audited?.Invoke(audit);
            ConditionCreated?.Invoke(condition);
            return condition;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Labels that cover part of [<paramref name="from"/>, <paramref name="to"/>) (all when null) of <paramref name="plant"/> (all when null), by start time.</summary>
    public async Task<IReadOnlyList<OperatorLabel>> GetLabelsAsync(string? plant = null, DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return ReadLabels(null, plant, from, to);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stores a label.</summary>
    /// <exception cref="OperationRejectedException">A field is invalid or the condition unknown (400), or it overlaps a stored label (409).</exception>
    public async Task<OperatorLabel> AddLabelAsync(NewLabel request, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plant = request.Plant?.Trim() ?? "";
        if (plant.Length is 0 or > 128) throw Invalid("plant", "plant must be 1–128 characters.");
        var str = request.String?.Trim() ?? "";
        if (str.Length is 0 or > 128) throw Invalid("string", $"string must be 1–128 characters ('{OperatorLabel.AllStrings}' = every string of the plant).");
        if (request.From is not { } from) throw Invalid("from", "from is required (ISO-8601 time).");
        if (request.To is not { } to) throw Invalid("to", "to is required (ISO-8601 time).");
        if (to <= from) throw Invalid("to", $"to ({to:O}) must be after from ({from:O}).");
        var code = request.Condition?.Trim() ?? "";
        if (code.Length == 0) throw Invalid("condition", "condition is required (a code of GET /api/conditions).");
        var note = request.Note ?? "";
        if (note.Length > MaxNoteLength) throw Invalid("note", $"note must be at most {MaxNoteLength} characters.");

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var tx = _connection.BeginTransaction();
            if (Scalar(_connection, "SELECT code FROM conditions WHERE code = $c", tx, ("$c", code)) is not string known)
                throw Invalid("condition", $"condition '{code}' is not in the condition catalog (create it with POST /api/conditions).");
            foreach (var existing in ReadLabels(tx, plant, from, to))
            {
                if (existing.Overlaps(plant, str, from, to))
                {
                    var what = existing.Condition == known ? "already labels" : "labels differently";
                    throw new OperationRejectedException(RejectionKind.Conflict, "from",
                        $"The range overlaps label {existing.Id} ({existing.Plant}/{existing.String} {existing.From:O} to {existing.To:O}, {existing.Condition}), which {what} that time; delete it first or choose another range.");
                }
            }

            using var command = _connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = """
                INSERT INTO labels (plant, string, from_ms, to_ms, condition, note, author, created_ms)
                VALUES ($p, $s, $f, $t, $c, $n, $a, $created) RETURNING id
                """;
            var created = _time.GetUtcNow();
            command.Parameters.AddWithValue("$p", plant);
            command.Parameters.AddWithValue("$s", str);
            command.Parameters.AddWithValue("$f", from.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$t", to.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$c", known);
            command.Parameters.AddWithValue("$n", note);
            command.Parameters.AddWithValue("$a", actor);
            command.Parameters.AddWithValue("$created", created.ToUnixTimeMilliseconds());
            var id = (long)command.ExecuteScalar()!;
            var label = new OperatorLabel(id, plant, str, FromMs(from.ToUnixTimeMilliseconds()), FromMs(to.ToUnixTimeMilliseconds()), known, note, actor, FromMs(created.ToUnixTimeMilliseconds()));
            var audit = Audit(tx, actor, "label.create", Describe(label));
            tx.Commit();
            Audited?.Invoke(audit);
            LabelAdded?.Invoke(label);
            return label;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes label <paramref name="id"/>.</summary>
    /// <exception cref="OperationRejectedException">No such label (404).</exception>
    public async Task DeleteLabelAsync(long id, string actor, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var tx = _connection.BeginTransaction();
            var label = ReadLabels(tx, null, null, null, id).FirstOrDefault()
                ?? throw new OperationRejectedException(RejectionKind.NotFound, "id", $"No label {id}.");
            using var command = _connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = "DELETE FROM labels WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            command.ExecuteNonQuery();
            var audit = Audit(tx, actor, "label.delete", Describe(label));
            tx.Commit();
            Audited?.Invoke(audit);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Audits a write made elsewhere (a model activation, a retraining request).</summary>
    public async Task<AuditEntry> RecordAsync(string actor, string action, string detail, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var tx = _connection.BeginTransaction();
            var audit = Audit(tx, actor, action, detail);
            tx.Commit();
            Audited?.Invoke(audit);
            return audit;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The latest <paramref name="limit"/> audit entries, newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> GetAuditAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT time_ms, actor, action, detail FROM audit ORDER BY id DESC LIMIT $n";
            command.Parameters.AddWithValue("$n", Math.Clamp(limit, 1, 10_000));
            var list = new List<AuditEntry>();
            using var reader = command.ExecuteReader();
            while (reader.Read()) list.Add(new AuditEntry(FromMs(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            return list;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Raised after an operator's condition was stored (the host adds it to the alert engine's catalog).</summary>
    public event Action<CatalogCondition>? ConditionCreated;

    /// <summary>Raised after a label was stored (the retraining scheduler watches for new conditions).</summary>
    public event Action<OperatorLabel>? LabelAdded;

    /// <summary>Raised after every audited write (the host logs it).</summary>
    public event Action<AuditEntry>? Audited;

    /// <inheritdoc />
    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }

    /// <summary>The domain's definition of <paramref name="condition"/>: fault → fault, warning → environmental, info → normal.</summary>
    public static ConditionDefinition ToDefinition(CatalogCondition condition) => new(condition.Code, condition.Description.Length > 0 ? condition.Description : condition.Name,
        condition.Severity switch
        {
            ConditionSeverity.Fault => ConditionKind.Fault,
            ConditionSeverity.Warning => ConditionKind.Environmental,
            _ => ConditionKind.Normal,
        });

    /// <summary>Table II's conditions with short names; severity from the paper's kind (normal → info, environmental → warning, fault → fault).</summary>
    internal static IEnumerable<CatalogCondition> Seed(DateTimeOffset created)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PS7"] = "Lower-cell shading", ["RS4"] = "Series resistance +50 %", ["PS50"] = "Partial shading, half a submodule",
            ["RS8"] = "Series resistance +100 %", ["PSRS"] = "Shading and series resistance", ["PS75"] = "Partial shading, 1.5 submodules",
            ["C"] = "Cloudy day", ["S"] = "Snow", ["N"] = "Normal (clear sky)", ["IV"] = "Heavy shading, 6 submodules",
        };
        foreach (var c in ConditionCatalog.Paper)
        {
            var severity = c.Kind switch
            {
                ConditionKind.Fault => ConditionSeverity.Fault,
                ConditionKind.Environmental => ConditionSeverity.Warning,
                _ => ConditionSeverity.Info,
            };
            yield return new CatalogCondition(c.Code, names.GetValueOrDefault(c.Code, c.Code), c.Description, severity, "seed", created);
        }
    }

    private static void Migrate(SqliteConnection connection, TimeProvider time)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version > Migrations.Count)
            throw new InvalidDataException($"The operations store has schema version {version}, newer than this pvmonitor knows ({Migrations.Count}); use the newer pvmonitor or another Data:Path.");
        for (var i = version; i < Migrations.Count; i++)
        {
            using var tx = connection.BeginTransaction();
            Execute(connection, Migrations[i], tx);
            if (i == 0)
                foreach (var c in Seed(time.GetUtcNow())) Insert(connection, tx, c);
            Execute(connection, $"PRAGMA user_version = {i + 1}", tx);
            tx.Commit();
        }
    }

    private List<OperatorLabel> ReadLabels(SqliteTransaction? tx, string? plant, DateTimeOffset? from, DateTimeOffset? to, long? id = null)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            SELECT id, plant, string, from_ms, to_ms, condition, note, author, created_ms FROM labels
            WHERE ($id IS NULL OR id = $id) AND ($p IS NULL OR plant = $p) AND ($f IS NULL OR to_ms > $f) AND ($t IS NULL OR from_ms < $t)
            ORDER BY from_ms, id
            """;
        command.Parameters.AddWithValue("$id", (object?)id ?? DBNull.Value);
        command.Parameters.AddWithValue("$p", (object?)plant ?? DBNull.Value);
        command.Parameters.AddWithValue("$f", (object?)from?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$t", (object?)to?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        var list = new List<OperatorLabel>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new OperatorLabel(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), FromMs(reader.GetInt64(3)), FromMs(reader.GetInt64(4)),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), FromMs(reader.GetInt64(8))));
        }

        return list;
    }

    private AuditEntry Audit(SqliteTransaction tx, string actor, string action, string detail)
    {
        var entry = new AuditEntry(FromMs(_time.GetUtcNow().ToUnixTimeMilliseconds()), actor, action, detail);
        using var command = _connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT INTO audit (time_ms, actor, action, detail) VALUES ($t, $a, $x, $d)";
        command.Parameters.AddWithValue("$t", entry.Time.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$a", actor);
        command.Parameters.AddWithValue("$x", action);
        command.Parameters.AddWithValue("$d", detail);
        command.ExecuteNonQuery();
        return entry;
    }

    private static string Describe(OperatorLabel l) => $"label {l.Id}: {l.Plant}/{l.String} {l.From:O} to {l.To:O} = {l.Condition}";

    private static void Insert(SqliteConnection connection, SqliteTransaction tx, CatalogCondition c)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT INTO conditions (code, name, description, severity, created_by, created_ms) VALUES ($c, $n, $d, $s, $by, $t)";
        command.Parameters.AddWithValue("$c", c.Code);
        command.Parameters.AddWithValue("$n", c.Name);
        command.Parameters.AddWithValue("$d", c.Description);
        command.Parameters.AddWithValue("$s", c.Severity.ToWireName());
        command.Parameters.AddWithValue("$by", c.CreatedBy);
        command.Parameters.AddWithValue("$t", c.Created.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    private static OperationRejectedException Invalid(string field, string message) => new(RejectionKind.Invalid, field, message);

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? tx = null, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command.ExecuteScalar();
    }
}
