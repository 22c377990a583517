namespace PvMonitor.Hosting.Options;

/// <summary>Where results are stored (section <c>Influx</c>). Without <see cref="Url"/> the embedded SQLite store is used.</summary>
public sealed class InfluxOptions : IServiceOptions
{
    /// <inheritdoc />
    public static string SectionName => "Influx";

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:8086</c>. Default empty: use the embedded store under <c>Data:Path</c>.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// API version. Default 2: InfluxDB.Client on the v2 API (<c>/api/v2/write</c>, Flux queries) — InfluxDB 2.x, 3.x, Cloud
    /// and 1.8+. 1: <c>/write?db=</c> and InfluxQL <c>/query</c> over HttpClient — InfluxDB 1.x, including 1.0–1.7, which have
    /// no v2 API.
    /// </summary>
    public int Version { get; set; } = 2;

    /// <summary>Database (version 1). Default <c>pvmonitor</c>.</summary>
    public string Database { get; set; } = "pvmonitor";

    /// <summary>Organisation (version 2). Default empty.</summary>
    public string? Org { get; set; }

    /// <summary>Bucket (version 2). Default empty.</summary>
    public string? Bucket { get; set; }

    /// <summary>API token (version 2). Default empty.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// Largest write request, points. Default 20000: InfluxDB 1.x spends less CPU per point in larger requests (~20 % less at
    /// 10,000–20,000 than at 5,000), and under load requests grow only as far as the points waiting allow (bench/README.md).
    /// </summary>
    public int BatchSize { get; set; } = 20_000;

    /// <summary>
    /// Longest a point waits for its batch to fill while no request is out, milliseconds. Default 100 (MQTT acknowledgements
    /// wait for it). While a request is out the next batch keeps filling until it returns (requests go one at a time).
    /// </summary>
    public int FlushIntervalMs { get; set; } = 100;

    /// <summary>
    /// Gzip request bodies. Default false: on a local or LAN server it costs CPU on both sides (measured 0.84× the ingest rate
    /// on loopback, bench/README.md); turn it on for a remote server behind a slow link.
    /// </summary>
    public bool Gzip { get; set; }

    /// <summary>
    /// Store the six reconstruction z-scores (fields <c>z_&lt;feature&gt;</c> of <c>pv_condition</c>) on every scored row. Default
    /// false: only on anomalous rows, where they say which sensor looks wrong; on every row they are ~25 % of InfluxDB's ingest work.
    /// </summary>
    public bool ZScoresOnEveryRow { get; set; }

    /// <summary>Disk spool for points while InfluxDB is away: a folder, relative paths under <c>Data:Path</c>. Default <c>influx-spool</c>; empty = no spool.</summary>
    public string? SpoolPath { get; set; } = "influx-spool";

    /// <summary>Largest spool, bytes. Default 1 GiB.</summary>
    public long SpoolMaxBytes { get; set; } = 1L << 30;

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Version is not (1 or 2)) yield return $"Influx:Version must be 1 or 2 (was {Version}).";
        if (BatchSize is < 1 or > 1_000_000) yield return $"Influx:BatchSize must be 1–1000000 (was {BatchSize}).";
        if (FlushIntervalMs is < 1 or > 600_000) yield return $"Influx:FlushIntervalMs must be 1–600000 (was {FlushIntervalMs}).";
        if (SpoolMaxBytes < 1 << 20) yield return $"Influx:SpoolMaxBytes must be ≥ 1048576 (was {SpoolMaxBytes}).";
        if (string.IsNullOrWhiteSpace(Url)) yield break;
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            yield return $"Influx:Url must be an absolute http(s) URL (was '{Url}').";
        if (Version == 1 && string.IsNullOrWhiteSpace(Database)) yield return "Influx:Database must be set for Influx:Version 1.";
        if (Version == 2)
        {
            if (string.IsNullOrWhiteSpace(Org)) yield return "Influx:Org must be set for Influx:Version 2 (set Influx:Version=1 for InfluxDB 1.0-1.7).";
            if (string.IsNullOrWhiteSpace(Bucket)) yield return "Influx:Bucket must be set for Influx:Version 2 (set Influx:Version=1 for InfluxDB 1.0-1.7).";
            if (string.IsNullOrWhiteSpace(Token)) yield return "Influx:Token must be set for Influx:Version 2 (set Influx:Version=1 for InfluxDB 1.0-1.7).";
        }
    }
}
