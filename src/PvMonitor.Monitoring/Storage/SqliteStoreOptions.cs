namespace PvMonitor.Monitoring.Storage;

/// <summary>Settings of the embedded SQLite result store. Section <c>Sqlite</c>.</summary>
public sealed class SqliteStoreOptions : PvMonitor.Monitoring.Configuration.ISectionOptions
{
    /// <summary>The configuration section: <c>Sqlite</c>.</summary>
    public static string SectionName => "Sqlite";

    /// <summary>Database file. Default <c>pvmonitor.db</c> (the host resolves a relative path against <c>Data:Path</c>).</summary>
    public string Path { get; set; } = "pvmonitor.db";

    /// <summary>
    /// SQLite <c>synchronous</c> level in WAL mode: <c>FULL</c> (default; a returned write survives power loss) or <c>NORMAL</c>
    /// (faster; survives a process crash, may lose the last commits on power loss).
    /// </summary>
    public string Synchronous { get; set; } = "FULL";

    /// <summary>How long a statement waits for a lock held by another connection, milliseconds. Default 5000.</summary>
    public int BusyTimeoutMs { get; set; } = 5000;

    /// <summary>Returns one message per invalid setting, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Path)) errors.Add($"{SectionName}:Path must not be empty.");
        if (!string.Equals(Synchronous, "FULL", StringComparison.OrdinalIgnoreCase) && !string.Equals(Synchronous, "NORMAL", StringComparison.OrdinalIgnoreCase))
            errors.Add($"{SectionName}:Synchronous must be FULL or NORMAL (got '{Synchronous}').");
        if (BusyTimeoutMs < 0) errors.Add($"{SectionName}:BusyTimeoutMs must be ≥ 0 (got {BusyTimeoutMs}).");
        return errors;
    }
}
