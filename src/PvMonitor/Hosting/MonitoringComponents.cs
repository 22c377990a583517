using Microsoft.Extensions.Logging;
using PvMonitor.Cli;
using PvMonitor.Domain.Conditions;
using PvMonitor.Learning.Models;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Metrics;
using PvMonitor.Monitoring.Pipeline;
using PvMonitor.Monitoring.Scoring;
using PvMonitor.Monitoring.Storage;
using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Monitoring.Storage.Influx.Query;
using PvMonitor.Monitoring.Storage.Influx.Writing;
using LibInfluxOptions = PvMonitor.Monitoring.Storage.Influx.InfluxOptions;

namespace PvMonitor.Hosting;

/// <summary>
/// The worker's long-lived parts, built once at start from <see cref="WorkerSettings"/>: metrics, the model, the result store
/// (InfluxDB or SQLite) and its reader, the webhook dispatcher and the pipeline. Disposed (store flushed) after the pipeline drained.
/// </summary>
public sealed class MonitoringComponents : IAsyncDisposable
{
    /// <summary>Longest an operator-page read from InfluxDB may take before the cache answers instead.</summary>
    private static readonly TimeSpan InfluxReadTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpClient? _webhookHttp;
    private readonly IDisposable? _readerResources;

    private MonitoringComponents(WorkerSettings settings, string modelPath, IConditionModel model, MonitoringMetrics metrics, IResultStore store,
        IResultReader reader, IDisposable? readerResources, string storeDescription, InfluxWriter? influx, WebhookDispatcher? dispatcher,
        HttpClient? webhookHttp, MonitoringPipeline pipeline)
    {
        _readerResources = readerResources;
        Settings = settings;
        ModelPath = modelPath;
        Model = model;
        Metrics = metrics;
        Store = store;
        Reader = reader;
        StoreDescription = storeDescription;
        Influx = influx;
        Dispatcher = dispatcher;
        _webhookHttp = webhookHttp;
        Pipeline = pipeline;
    }

    /// <summary>The settings in use.</summary>
    public WorkerSettings Settings { get; }

    /// <summary>The loaded model's directory.</summary>
    public string ModelPath { get; }

    /// <summary>The active model.</summary>
    public IConditionModel Model { get; }

    /// <summary>Worker metrics (<c>/metrics</c>).</summary>
    public MonitoringMetrics Metrics { get; }

    /// <summary>Where results are written (wrapped by the recent-results cache).</summary>
    public IResultStore Store { get; }

    /// <summary>
    /// Read side for the operator page: the SQLite store, or with InfluxDB a <see cref="FallbackResultReader"/> that queries the
    /// database and answers from the recent-results cache while queries fail.
    /// </summary>
    public IResultReader Reader { get; }

    /// <summary>"InfluxDB API v1 at URL (database NAME)", "InfluxDB API v2 at URL (bucket NAME)" or "SQLite at PATH".</summary>
    public string StoreDescription { get; }

    /// <summary>The InfluxDB writer, when results go to InfluxDB.</summary>
    public InfluxWriter? Influx { get; }

    /// <summary>The webhook dispatcher, when <c>Alerts:Webhooks</c> lists any.</summary>
    public WebhookDispatcher? Dispatcher { get; }

    /// <summary>The pipeline.</summary>
    public MonitoringPipeline Pipeline { get; }

    /// <summary>True while results can be written (the store accepts writes; an InfluxDB writer may be spooling).</summary>
    public bool StoreHealthy => Pipeline.Status.StoreHealthy && (Influx is null || Influx.Status.IsHealthy);

    /// <summary>Builds everything. <paramref name="extraPublisher"/> also receives every stored alert (the demo logs them).</summary>
    /// <exception cref="CliException">The model cannot be loaded or the store cannot be opened.</exception>
    public static MonitoringComponents Create(WorkerSettings settings, ILoggerFactory loggers, TimeProvider time, IAlertPublisher? extraPublisher = null, string? sqliteFileOverride = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var log = loggers.CreateLogger("PvMonitor.Worker");
        var modelPath = ModelLocator.Resolve(settings.Model.Path);
        IConditionModel model;
        try
        {
            PvMonitor.Learning.Torch.TorchRuntime.SetThreads(settings.Model.Threads);
            var device = PvMonitor.Learning.Torch.TorchRuntime.ResolveDevice(settings.Model.Device, "Model:Device");
            model = ModelDirectory.Load(modelPath, device: device);
        }
        catch (PvMonitor.Learning.Torch.DeviceNotAvailableException ex)
        {
            throw new CliException("Configuration error: " + ex.Message, ExitCodes.Usage);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ModelFormatException or InvalidDataException or System.Text.Json.JsonException or ArgumentException)
        {
            throw new CliException($"Model:Path: cannot load the model at '{modelPath}': {ex.Message}", ExitCodes.Failure);
        }

        var scorer = new ConditionScorer(model);
        log.LogInformation("Model {Version} ({Kind}) loaded from {Path}: classes {Classes}, features {Features}, anomaly threshold {Threshold} nats.",
            model.Manifest.Version, model.Manifest.Kind, modelPath, string.Join(",", model.Classes), string.Join(",", model.Features), scorer.Threshold);
        var metrics = new MonitoringMetrics(new MetricsRegistry());
        Directory.CreateDirectory(settings.Data.Path);

        IResultStore store;
        IResultReader reader;
        IDisposable? readerResources = null;
        InfluxWriter? influx = null;
        string description;
        if (settings.UsesInflux)
        {
            var o = settings.Influx;
            var lib = new LibInfluxOptions
            {
                Url = o.Url!,
                Version = o.Version,
                Database = o.Database,
                Org = o.Org,
                Bucket = o.Bucket,
                Token = o.Token,
                BatchSize = o.BatchSize,
                FlushIntervalMs = o.FlushIntervalMs,
                Gzip = o.Gzip,
                SpoolPath = string.IsNullOrWhiteSpace(o.SpoolPath) ? null : settings.DataFile(o.SpoolPath),
                SpoolMaxBytes = o.SpoolMaxBytes,
                DeadLetterPath = settings.DataFile("influx-deadletter.lp"),
            };
            influx = new InfluxWriter(lib, timeProvider: time, logger: loggers.CreateLogger<InfluxWriter>());
            // Writes go through the cache so the page still has recent results while InfluxDB cannot be queried.
            var cache = new RecentResultsCache(new InfluxResultStore(influx, zScoresOnEveryRow: o.ZScoresOnEveryRow));
            store = cache;
            // Version 1: InfluxQL over HttpClient; version 2: Flux through InfluxDB.Client.
            InfluxResultReader influxReader;
            if (o.Version == 2)
            {
                influxReader = InfluxResultReader.ForVersion2(lib, InfluxReadTimeout);
                readerResources = influxReader;
            }
            else
            {
                var readerHttp = new HttpClient { Timeout = InfluxReadTimeout };
                influxReader = new InfluxResultReader(InfluxQueryClient.FromOptions(lib, readerHttp), o.Database);
                readerResources = new ReaderResources(influxReader, readerHttp);
            }

            reader = new FallbackResultReader(influxReader, cache, time, loggers.CreateLogger<FallbackResultReader>());
            description = $"InfluxDB API v{o.Version} at {o.Url} ({influxReader.Source})";
            var writer = influx;
            metrics.Registry.CreateGauge("pvmonitor_influx_points_in_memory", "Points accepted by the InfluxDB writer and not yet durable.", () => writer.Status.PointsInMemory);
        }
        else
        {
            var path = settings.DataFile(sqliteFileOverride ?? settings.Sqlite.Path);
            try
            {
                var sqlite = new SqliteResultStore(new SqliteStoreOptions { Path = path, Synchronous = settings.Sqlite.Synchronous, BusyTimeoutMs = settings.Sqlite.BusyTimeoutMs });
                store = sqlite;
                reader = sqlite;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                throw new CliException($"Sqlite:Path: cannot open '{path}': {ex.Message}", ExitCodes.Failure);
            }

            description = $"SQLite at {path}";
        }

        WebhookDispatcher? dispatcher = null;
        HttpClient? http = null;
        var publishers = new List<IAlertPublisher>();
        if (settings.Alerts.Webhooks.Count > 0)
        {
            http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            dispatcher = new WebhookDispatcher(settings.Alerts, http, time, new Random(settings.Alerts.JitterSeed), loggers.CreateLogger<WebhookDispatcher>());
            metrics.ObserveWebhooks(dispatcher);
            publishers.Add(new WebhookAlertPublisher(dispatcher));
        }

        if (extraPublisher is not null) publishers.Add(extraPublisher);
        var influxForGauge = influx;
        if (influxForGauge is not null)
            metrics.Registry.CreateGauge("pvmonitor_influx_spool_pending_points", "Points waiting in the InfluxDB spool.", () => influxForGauge.Status.Spool?.PendingPoints ?? 0);

        var pipeline = new MonitoringPipeline(
            settings.Pipeline,
            new TelemetryPayloadParser(settings.Ingest, time),
            new DuplicateFilter(settings.Ingest),
            scorer,
            new AlertEngine(settings.Alerts, new ConditionCatalog()),
            settings.Alerts.GroupWindow,
            store,
            publishers.Count switch { 0 => null, 1 => publishers[0], _ => new CompositeAlertPublisher(publishers) },
            metrics,
            time,
            loggers.CreateLogger<MonitoringPipeline>());
        return new MonitoringComponents(settings, modelPath, model, metrics, store, reader, readerResources, description, influx, dispatcher, http, pipeline);
    }

    /// <summary>Refreshes gauges read at scrape time (spool bytes).</summary>
    public void RefreshGauges()
    {
        if (Influx?.Status.Spool is { } spool) Metrics.SpoolBytes.Set(spool.SizeBytes);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Pipeline.DisposeAsync().ConfigureAwait(false);
        if (Dispatcher is not null)
        {
            await Dispatcher.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            await Dispatcher.DisposeAsync().ConfigureAwait(false);
        }

        _webhookHttp?.Dispose();
        _readerResources?.Dispose();
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
