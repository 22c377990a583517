using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using PvMonitor.Hosting.Options;
using PvMonitor.Monitoring.Metrics;
using PvMonitor.Monitoring.Storage;
using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Monitoring.Storage.Influx.Query;
using PvMonitor.Monitoring.Storage.Influx.Writing;

namespace PvMonitor.Hosting;

/// <summary>
/// Where results go and where the operator page reads them: InfluxDB (<c>Influx:Url</c> set; writes go through a recent-results
/// cache that answers reads while InfluxDB cannot be queried) or the embedded SQLite store. Owns and disposes what it opened.
/// </summary>
public sealed class ResultStorage : IAsyncDisposable
{
    /// <summary>Longest an operator-page read from InfluxDB may take before the cache answers instead.</summary>
    private static readonly TimeSpan InfluxReadTimeout = TimeSpan.FromSeconds(5);

    private readonly IDisposable? _readerResources;
    private readonly InfluxWriterMetrics? _writerMetrics;
    private bool _disposed;

    private ResultStorage(IResultStore store, IResultReader reader, string description, InfluxWriter? influx, IDisposable? readerResources,
        InfluxWriterMetrics? writerMetrics = null)
    {
        _writerMetrics = writerMetrics;
        Store = store;
        Reader = reader;
        Description = description;
        Influx = influx;
        _readerResources = readerResources;
    }

    /// <summary>Where results are written; completing a write means durable.</summary>
    public IResultStore Store { get; }

    /// <summary>The read side for the operator page.</summary>
    public IResultReader Reader { get; }

    /// <summary>"InfluxDB API v1 at URL (database NAME)", "InfluxDB API v2 at URL (bucket NAME)" or "SQLite at PATH".</summary>
    public string Description { get; }

    /// <summary>The InfluxDB writer, when results go to InfluxDB.</summary>
    public InfluxWriter? Influx { get; }

    /// <summary>False while the InfluxDB writer reports itself unhealthy (it may be spooling); always true for SQLite.</summary>
    public bool WriterHealthy => Influx is null || Influx.Status.IsHealthy;

    /// <summary>The InfluxDB writer's last error or state, for <c>/readyz</c>.</summary>
    public string? WriterProblem => Influx is null ? null : Influx.Status.LastError ?? Influx.Status.State.ToString();

    /// <summary>Opens the store named by the options.</summary>
    /// <exception cref="StartupException">The SQLite file cannot be opened (the host checked <c>Data:Path</c> before: <see cref="WritableFolder.EnsureDataPath"/>).</exception>
    public static ResultStorage Open(InfluxOptions influxOptions, SqliteStoreOptions sqliteOptions, DataOptions data, WorkerMode mode,
        MonitoringMetrics metrics, IMeterFactory meters, TimeProvider time, ILoggerFactory loggers)
    {
        Directory.CreateDirectory(data.Path);
        if (!string.IsNullOrWhiteSpace(influxOptions.Url)) return OpenInflux(influxOptions, metrics, meters, time, loggers);

        var path = data.Resolve(mode.IsDemo ? WorkerMode.DemoDatabase : sqliteOptions.Path);
        if (mode.IsDemo)
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                if (File.Exists(path + suffix)) File.Delete(path + suffix);
        }

        try
        {
            var sqlite = new SqliteResultStore(new SqliteStoreOptions { Path = path, Synchronous = sqliteOptions.Synchronous, BusyTimeoutMs = sqliteOptions.BusyTimeoutMs });
            return new ResultStorage(sqlite, sqlite, $"SQLite at {path}", influx: null, readerResources: null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new StartupException($"Sqlite:Path: cannot open '{path}': {ex.Message}", inner: ex);
        }
    }

    private static ResultStorage OpenInflux(InfluxOptions o, MonitoringMetrics metrics, IMeterFactory meters, TimeProvider time, ILoggerFactory loggers)
    {
        var writer = new InfluxWriter(o, timeProvider: time, logger: loggers.CreateLogger<InfluxWriter>());
        // Writes go through the cache so the page still has recent results while InfluxDB cannot be queried.
        var cache = new RecentResultsCache(new InfluxResultStore(writer, zScoresOnEveryRow: o.ZScoresOnEveryRow));
        // Version 1: InfluxQL over HttpClient; version 2: Flux through InfluxDB.Client.
        InfluxResultReader influxReader;
        IDisposable resources;
        if (o.Version == 2)
        {
            influxReader = InfluxResultReader.ForVersion2(o, InfluxReadTimeout);
            resources = influxReader;
        }
        else
        {
            var readerHttp = new HttpClient { Timeout = InfluxReadTimeout };
            influxReader = new InfluxResultReader(InfluxQueryClient.FromOptions(o, readerHttp), o.Database!);
            resources = new ReaderResources(influxReader, readerHttp);
        }

        var reader = new FallbackResultReader(influxReader, cache, time, loggers.CreateLogger<FallbackResultReader>());
        // The writer's instruments (meter PvMonitor.Influx) live as long as the host's meter factory; the spool's size is
        // also the worker-level pvmonitor_spool_bytes.
        var writerMetrics = new InfluxWriterMetrics(writer, meters);
        metrics.ObserveSpool(() => writer.Status.Spool?.SizeBytes ?? 0);
        return new ResultStorage(cache, reader, $"InfluxDB API v{o.Version} at {o.Url} ({influxReader.Source})", writer, resources, writerMetrics);
    }

    /// <summary>Waits until the InfluxDB writer holds nothing in memory (no-op for SQLite).</summary>
    public Task FlushAsync() => Influx?.FlushAsync() ?? Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        _readerResources?.Dispose();
        _writerMetrics?.Dispose();
        await Store.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The InfluxDB reader and the HTTP client it does not own.</summary>
    private sealed class ReaderResources(InfluxResultReader reader, HttpClient http) : IDisposable
    {
        public void Dispose()
        {
            reader.Dispose();
            http.Dispose();
        }
    }
}
