using System.Globalization;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;

namespace PvMonitor.Monitoring.Storage.Influx;

/// <summary>
/// Settings of the InfluxDB writer (configuration section <see cref="SectionName"/>). Every property states its default and unit;
/// <see cref="Validate"/> names the offending key in each message.
/// </summary>
public sealed class InfluxOptions : PvMonitor.Monitoring.Configuration.ISectionOptions
{
    /// <summary>The configuration section: <c>Influx</c>.</summary>
    public static string SectionName => "Influx";

    /// <summary>Base URL of the server. Default <c>http://127.0.0.1:8086</c>.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8086";

    /// <summary>
    /// API flavour. <c>2</c> (default) = the v2 API through InfluxDB.Client: InfluxDB 2.x, 3.x, Cloud and 1.8+
    /// (<c>/api/v2/write?org=&amp;bucket=&amp;precision=</c>, <c>Authorization: Token …</c>; Flux queries). <c>1</c> = InfluxDB 1.x
    /// before 1.8 and any 1.x (<c>/write?db=&amp;rp=&amp;precision=</c>, optional user/password; InfluxQL queries over HttpClient).
    /// </summary>
    public int Version { get; set; } = 2;

    /// <summary>1.x database (required for version 1). Default <c>pvmonitor</c>.</summary>
    public string? Database { get; set; } = "pvmonitor";

    /// <summary>1.x retention policy; empty = the database's default. Default empty.</summary>
    public string? RetentionPolicy { get; set; }

    /// <summary>2.x organisation name or id (required for version 2). Default empty.</summary>
    public string? Org { get; set; }

    /// <summary>2.x bucket (required for version 2). Default empty.</summary>
    public string? Bucket { get; set; }

    /// <summary>2.x API token, sent as <c>Authorization: Token …</c> (required for version 2). Default empty.</summary>
    public string? Token { get; set; }

    /// <summary>1.x user name; with <see cref="Password"/> sent as HTTP Basic authentication (which 1.x accepts like <c>u</c>/<c>p</c>). Default empty = no authentication.</summary>
    public string? Username { get; set; }

    /// <summary>1.x password (see <see cref="Username"/>). Default empty.</summary>
    public string? Password { get; set; }

    /// <summary>Timestamp precision on the wire: Nanoseconds, Microseconds, Milliseconds or Seconds. Default Milliseconds.</summary>
    public WritePrecision Precision { get; set; } = WritePrecision.Milliseconds;

    /// <summary>Points per request; a batch is sent when it holds this many points. Default 5,000 points (1–1,000,000).</summary>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>A batch that is not full is sent this long after its first point. Default 1,000 ms (1–600,000).</summary>
    public int FlushIntervalMs { get; set; } = 1_000;

    /// <summary>
    /// Batches held in memory until they are durable (written or spooled), counting the one being filled.
    /// When all are taken, <c>WriteAsync</c> waits: back-pressure instead of dropping. Default 4 batches (1–1,000).
    /// </summary>
    public int MaxPendingBatches { get; set; } = 4;

    /// <summary>
    /// Compress request bodies with gzip (<c>Content-Encoding: gzip</c>, fastest level). Default false, as in InfluxData's own
    /// clients: it saves ~5–10× bandwidth, worth it over a slow link, but costs CPU on both ends, which a server on the same
    /// small machine pays for in ingest rate (bench/README.md, "InfluxDB").
    /// </summary>
    public bool Gzip { get; set; }

    /// <summary>Timeout of one HTTP request, connect included. Default 10,000 ms (100–600,000).</summary>
    public int RequestTimeoutMs { get; set; } = 10_000;

    /// <summary>Immediate retries of one request after 429, 5xx or a network error before the batch is spooled. Default 2 (0–20).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>First retry delay; later ones grow exponentially with jitter. Also the first delay between replay attempts while the server is away. Default 500 ms (1–600,000).</summary>
    public int RetryBaseDelayMs { get; set; } = 500;

    /// <summary>
    /// Longest delay between attempts (immediate retries and replay probes). A Retry-After longer than this is not waited
    /// for in line: the batch is spooled and replay resumes after the Retry-After. Default 30,000 ms (≥ <see cref="RetryBaseDelayMs"/>).
    /// </summary>
    public int RetryMaxDelayMs { get; set; } = 30_000;

    /// <summary>Folder of the durable spool used while the server is unreachable; empty disables it (batches then wait in memory). Default <c>data/influx-spool</c>.</summary>
    public string? SpoolPath { get; set; } = "data/influx-spool";

    /// <summary>Most bytes the spool may hold on disk; when reached, the writer reports "spool full" and applies back-pressure. Default 1 GiB (≥ 1 MiB).</summary>
    public long SpoolMaxBytes { get; set; } = 1L << 30;

    /// <summary>Size at which a spool segment file is closed and a new one started. Default 16 MiB (64 KiB – <see cref="SpoolMaxBytes"/>).</summary>
    public long SpoolSegmentBytes { get; set; } = 16L << 20;

    /// <summary>fsync each spooled batch before reporting it durable. Default true.</summary>
    public bool SpoolFsync { get; set; } = true;

    /// <summary>File that receives dead-lettered lines (the server's message as a <c>#</c> comment, then the line); empty = log only. Default <c>data/influx-deadletter.lp</c>.</summary>
    public string? DeadLetterPath { get; set; } = "data/influx-deadletter.lp";

    /// <summary>
    /// Store the six reconstruction z-scores (fields <c>z_&lt;feature&gt;</c> of <c>pv_condition</c>) on every scored row. Default
    /// false: only on anomalous rows, where they say which sensor looks wrong; on every row they are ~25 % of InfluxDB's ingest work.
    /// </summary>
    public bool ZScoresOnEveryRow { get; set; }

    /// <summary>How long disposing the writer waits for in-memory batches to become durable before failing their tasks. Default 15,000 ms (0–600,000).</summary>
    public int ShutdownTimeoutMs { get; set; } = 15_000;

    /// <summary>Checks every setting; returns one message per problem, each starting with the configuration key (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            errors.Add($"{SectionName}:Url must be an absolute http:// or https:// URL (was '{Url}').");
        switch (Version)
        {
            case 1:
                if (string.IsNullOrWhiteSpace(Database))
                    errors.Add($"{SectionName}:Database is required when {SectionName}:Version is 1.");
                if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
                    errors.Add($"{SectionName}:Username and {SectionName}:Password must be set together.");
                break;
            case 2:
                if (string.IsNullOrWhiteSpace(Org))
                    errors.Add($"{SectionName}:Org is required when {SectionName}:Version is 2 (set {SectionName}:Version=1 for InfluxDB 1.0–1.7).");
                if (string.IsNullOrWhiteSpace(Bucket))
                    errors.Add($"{SectionName}:Bucket is required when {SectionName}:Version is 2 (set {SectionName}:Version=1 for InfluxDB 1.0–1.7).");
                if (string.IsNullOrWhiteSpace(Token))
                    errors.Add($"{SectionName}:Token is required when {SectionName}:Version is 2 (set {SectionName}:Version=1 for InfluxDB 1.0–1.7).");
                break;
            default:
                errors.Add($"{SectionName}:Version must be 1 (InfluxDB 1.x) or 2 (InfluxDB 2.x/3.x) (was {Version}).");
                break;
        }

        if (!Enum.IsDefined(Precision))
            errors.Add($"{SectionName}:Precision must be Nanoseconds, Microseconds, Milliseconds or Seconds (was {Precision}).");
        Range(errors, nameof(BatchSize), BatchSize, 1, 1_000_000);
        Range(errors, nameof(FlushIntervalMs), FlushIntervalMs, 1, 600_000);
        Range(errors, nameof(MaxPendingBatches), MaxPendingBatches, 1, 1_000);
        Range(errors, nameof(RequestTimeoutMs), RequestTimeoutMs, 100, 600_000);
        Range(errors, nameof(MaxRetries), MaxRetries, 0, 20);
        Range(errors, nameof(RetryBaseDelayMs), RetryBaseDelayMs, 1, 600_000);
        Range(errors, nameof(RetryMaxDelayMs), RetryMaxDelayMs, Math.Max(1, RetryBaseDelayMs), 3_600_000);
        Range(errors, nameof(ShutdownTimeoutMs), ShutdownTimeoutMs, 0, 600_000);
        if (!string.IsNullOrWhiteSpace(SpoolPath))
        {
            Range(errors, nameof(SpoolMaxBytes), SpoolMaxBytes, 1L << 20, long.MaxValue);
            Range(errors, nameof(SpoolSegmentBytes), SpoolSegmentBytes, 64L << 10, Math.Max(64L << 10, SpoolMaxBytes));
        }

        return errors;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem <see cref="Validate"/> finds.</summary>
    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0)
            throw new ArgumentException("Invalid InfluxDB settings: " + string.Join(" ", errors));
    }

    private static void Range(List<string> errors, string key, long value, long min, long max)
    {
        if (value < min || value > max)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{key} must be between {min} and {max} (was {value})."));
    }
}
