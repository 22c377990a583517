using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PvMonitor.Api.Auth;
using PvMonitor.Api.Health;
using PvMonitor.Domain.Conditions;
using PvMonitor.Hosting.Options;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Ingest.Mqtt;
using PvMonitor.Monitoring.Metrics;
using PvMonitor.Monitoring.Operations;
using PvMonitor.Monitoring.Operations.Drift;
using PvMonitor.Monitoring.Operations.Retraining;
using PvMonitor.Monitoring.Pipeline;
using PvMonitor.Monitoring.Storage;
using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Monitoring.Storage.Influx.Writing;
using OpenTelemetry.Metrics;

namespace PvMonitor.Hosting;

/// <summary>
/// The worker's composition root: <c>services.AddPvMonitor(mode)</c> is made of one small <c>Add*</c> per part. Parts are built
/// lazily from bound options when the host starts; hosted services start in registration order (webhooks, pipeline, then the
/// telemetry source) and stop in reverse, so the source stops feeding before the pipeline drains and alerts are still delivered.
/// </summary>
public static class PvMonitorServices
{
    /// <summary>Everything <c>run</c> (MQTT) or <c>demo</c> (simulated plant) needs.</summary>
    public static IServiceCollection AddPvMonitor(this IServiceCollection services, WorkerMode mode)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(mode);
        services.AddWorkerOptions();
        services.AddWorkerMetrics();
        services.AddConditionModel();
        services.AddResultStore();
        services.AddWebhooks(logToConsole: mode.IsDemo);
        services.AddMonitoringPipeline();
        if (mode.Demo is { } demo) services.AddDemoPlant(demo);
        else services.AddMqttIngest();
        services.AddWorkerHealthChecks();
        services.AddOperations();
        services.AddRetraining();
        services.AddApiAuthentication();
        return services;
    }

    /// <summary>
    /// The worker's metrics (<see cref="MonitoringMetrics"/> on meter <c>PvMonitor</c>, the InfluxDB writer's on
    /// <c>PvMonitor.Influx</c>) collected by OpenTelemetry and served in the Prometheus text format by its exporter
    /// (<c>MapPrometheusScrapingEndpoint("/metrics")</c> in <see cref="Api.HealthEndpoints"/>). Names are kept as documented:
    /// no scope labels and no <c>target_info</c> series, counters end in <c>_total</c>, units become suffixes (<c>_seconds</c>,
    /// <c>_bytes</c>); every scrape collects afresh (no response cache).
    /// </summary>
    public static IServiceCollection AddWorkerMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton(sp => new MonitoringMetrics(sp.GetRequiredService<IMeterFactory>()));
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MonitoringMetrics.MeterName, InfluxWriterMetrics.MeterName)
            .AddPrometheusExporter(o =>
            {
                o.ScopeInfoEnabled = false;
                o.TargetInfoEnabled = false;
                o.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
        return services;
    }

    /// <summary>Retraining on labels in the background (<see cref="RetrainingService"/>, section <c>Retrain</c>), started on request,
    /// on <c>Retrain:Schedule</c> and after labels of a new condition (<see cref="RetrainScheduler"/>).</summary>
    public static IServiceCollection AddRetraining(this IServiceCollection services)
    {
        services.AddSectionOptions<RetrainOptions>();
        services.AddSingleton<RetrainingService>();
        services.AddHostedService(sp => sp.GetRequiredService<RetrainingService>());
        services.AddHostedService<RetrainScheduler>();
        return services;
    }

    /// <summary>The operations store (condition catalog, labels, audit) at <c>Data:Path/operations.db</c>; audited writes are also logged.</summary>
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var data = sp.GetRequiredService<IOptions<DataOptions>>().Value;
            var path = data.Resolve(OperationsDatabase);
            OperationsStore store;
            try
            {
                store = OperationsStore.Open(path, sp.GetRequiredService<TimeProvider>());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or Microsoft.Data.Sqlite.SqliteException)
            {
                throw new StartupException($"Data:Path: cannot open the operations store '{path}': {ex.Message}", inner: ex);
            }

            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("PvMonitor.Audit");
            store.Audited += e => log.LogInformation("Audit: {Actor} {Action} {Detail}", e.Actor, e.Action, e.Detail);
            return store;
        });
        // One catalog for the alert engine and the API: Table II plus every operator condition, growing as operators add some
        // (a retrained model's new fault condition then raises fault alerts).
        services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<OperationsStore>();
            var catalog = new ConditionCatalog();
            foreach (var c in store.GetConditionsAsync().GetAwaiter().GetResult())
                if (!catalog.TryGet(c.Code, out _)) catalog.Add(OperationsStore.ToDefinition(c));
            store.ConditionCreated += c =>
            {
                if (!catalog.TryGet(c.Code, out _)) catalog.Add(OperationsStore.ToDefinition(c));
            };
            return catalog;
        });
        return services;
    }

    /// <summary>The operations store's file under <c>Data:Path</c>.</summary>
    public const string OperationsDatabase = "operations.db";

    /// <summary>
    /// Bearer tokens from <c>Api:Tokens</c> (SHA-256 at rest) with roles viewer and operator (<see cref="ApiTokenAuthenticationHandler"/>),
    /// the two policies of <see cref="ApiPolicies"/>, and problem+json bodies for error status codes (401, 403, bad input).
    /// </summary>
    public static IServiceCollection AddApiAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(ApiTokenAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Viewer, p => p.RequireRole(ApiToken.ViewerRole, ApiToken.OperatorRole))
            .AddPolicy(ApiPolicies.Operator, p => p.RequireRole(ApiToken.OperatorRole));
        services.AddProblemDetails();
        services.AddOpenApi();
        return services;
    }

    /// <summary>Binds and validates every section the worker reads (see the configuration reference in README.md).</summary>
    public static IServiceCollection AddWorkerOptions(this IServiceCollection services)
    {
        services.AddSectionOptions<MqttOptions>();
        services.AddSectionOptions<ModelOptions>();
        services.AddSectionOptions<ApiOptions>();
        services.AddSectionOptions<DataOptions>();
        services.AddSectionOptions<AlertsOptions>();
        services.AddSectionOptions<SqliteStoreOptions>();
        services.AddSectionOptions<PipelineOptions>();
        // The topic pattern comes from Mqtt:Topic, so its messages name that key.
        services.AddSectionOptions<IngestOptions>(validator: new SectionOptionsValidator<IngestOptions>(m => m.Replace("Ingest:TopicPattern", "Mqtt:Topic", StringComparison.Ordinal)))
            .PostConfigure<IConfiguration>((o, configuration) => o.TopicPattern = configuration[$"{MqttOptions.SectionName}:{nameof(MqttOptions.Topic)}"] ?? new MqttOptions().Topic);
        // The worker's InfluxDB defaults differ from the writer library's (no server unless Influx:Url is set; larger batches,
        // shorter flushes because MQTT acknowledgements wait for them); files live under Data:Path. Validated only when used.
        services.AddSectionOptions<InfluxOptions>(defaults: o =>
            {
                o.Url = "";
                o.BatchSize = 20_000;
                o.FlushIntervalMs = 100;
                o.SpoolPath = "influx-spool";
                o.DeadLetterPath = "influx-deadletter.lp";
            }, validator: new InfluxSectionValidator())
            .PostConfigure<IConfiguration>((o, configuration) =>
            {
                var data = DataOptions.FromConfiguration(configuration);
                o.SpoolPath = string.IsNullOrWhiteSpace(o.SpoolPath) ? null : data.Resolve(o.SpoolPath);
                o.DeadLetterPath = string.IsNullOrWhiteSpace(o.DeadLetterPath) ? null : data.Resolve(o.DeadLetterPath);
            });
        return services;
    }

    /// <summary>
    /// The model in use (<see cref="ModelHost"/>: the registry's active version under <c>Data:Path/models</c>, else
    /// <c>Model:Path</c>) on <c>Model:Device</c> with <c>Model:Threads</c>.
    /// </summary>
    public static IServiceCollection AddConditionModel(this IServiceCollection services)
    {
        services.AddSingleton(sp => new ModelRegistry(sp.GetRequiredService<IOptions<DataOptions>>().Value.Resolve(RegistryFolder), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("PvMonitor.Worker");
            var host = ModelHost.Start(sp.GetRequiredService<IOptions<ModelOptions>>().Value, sp.GetRequiredService<ModelRegistry>(),
                sp.GetRequiredService<TimeProvider>(), log);
            var model = host.Current;
            log.LogInformation("Model {Version} ({Kind}) loaded from {Path}: classes {Classes}, features {Features}, anomaly threshold {Threshold} nats on {AnomalyScore}.",
                model.Manifest.Version, model.Manifest.Kind, model.Path, string.Join(",", model.Model.Classes), string.Join(",", model.Model.Features), model.Scorer.Threshold,
                PvMonitor.Learning.Models.AnomalyScores.Name(model.Scorer.AnomalyScore));
            return host;
        });
        return services;
    }

    /// <summary>The model registry's folder under <c>Data:Path</c>.</summary>
    public const string RegistryFolder = "models";

    /// <summary>InfluxDB when <c>Influx:Url</c> is set, else SQLite under <c>Data:Path</c>; the operator page reads through <see cref="IResultReader"/>.</summary>
    public static IServiceCollection AddResultStore(this IServiceCollection services)
    {
        services.AddSingleton(sp => ResultStorage.Open(
            sp.GetRequiredService<IOptions<InfluxOptions>>().Value,
            sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value,
            sp.GetRequiredService<IOptions<DataOptions>>().Value,
            sp.GetRequiredService<WorkerMode>(),
            sp.GetRequiredService<MonitoringMetrics>(),
            sp.GetRequiredService<IMeterFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => sp.GetRequiredService<ResultStorage>().Reader);
        return services;
    }

    /// <summary>
    /// Alert webhooks (<c>Alerts:Webhooks</c>) through a named <see cref="HttpClient"/> from the HTTP client factory; with
    /// <paramref name="logToConsole"/> (the demo) each alert's webhook body is also written to the log.
    /// </summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, bool logToConsole)
    {
        services.AddHttpClient(WebhookDelivery.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<WebhookDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDelivery>());
        if (logToConsole) services.AddSingleton<IAlertPublisher, LoggingAlertPublisher>();
        services.AddSingleton<IAlertPublisher>(sp => sp.GetRequiredService<WebhookDelivery>());
        return services;
    }

    /// <summary>The pipeline (parse → score → alerts → store → acknowledge), the drift monitor it feeds (section <c>Drift</c>) and the hosted service that starts and drains it.</summary>
    public static IServiceCollection AddMonitoringPipeline(this IServiceCollection services)
    {
        services.AddSectionOptions<DriftOptions>();
        services.AddSingleton(sp =>
        {
            var drift = new DriftMonitor(sp.GetRequiredService<IOptions<DriftOptions>>().Value, DriftReference.Of(sp.GetRequiredService<ModelHost>().Current.Manifest));
            sp.GetRequiredService<MonitoringMetrics>().Meter.CreateObservableGauge("pvmonitor.drift.strings", () => drift.Report().Count(d => d.Drifting), "{string}",
                "Strings whose recent ELBOs moved away from the active model's training distribution (GET /api/drift).");
            return drift;
        });
        services.AddSingleton(sp =>
        {
            var pipeline = CreatePipeline(sp);
            var drift = sp.GetRequiredService<DriftMonitor>();
            sp.GetRequiredService<ModelHost>().Activated += model =>
            {
                drift.Reset(DriftReference.Of(model.Manifest));
                pipeline.SwapScorer(model.Scorer);
            };
            return pipeline;
        });
        services.AddHostedService<PipelineHostedService>();
        services.AddOptions<HostOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            // Read raw: the host's own options are built before ours are validated (an invalid value is reported by ValidateOnStart).
            var drain = int.TryParse(configuration[$"{PipelineOptions.SectionName}:{nameof(PipelineOptions.ShutdownDrainSeconds)}"], out var seconds) && seconds >= 0
                ? seconds
                : new PipelineOptions().ShutdownDrainSeconds;
            o.ShutdownTimeout = TimeSpan.FromSeconds(drain + 15);
        });
        return services;
    }

    private static MonitoringPipeline CreatePipeline(IServiceProvider sp)
    {
        var time = sp.GetRequiredService<TimeProvider>();
        var ingest = sp.GetRequiredService<IOptions<IngestOptions>>().Value;
        var alerts = sp.GetRequiredService<IOptions<AlertsOptions>>().Value;
        var publishers = sp.GetServices<IAlertPublisher>().ToList();
        return new MonitoringPipeline(
            sp.GetRequiredService<IOptions<PipelineOptions>>().Value,
            new TelemetryPayloadParser(ingest, time),
            new DuplicateFilter(ingest),
            sp.GetRequiredService<ModelHost>().Current.Scorer,
            new AlertEngine(alerts, sp.GetRequiredService<ConditionCatalog>()),
            alerts.GroupWindow,
            sp.GetRequiredService<ResultStorage>().Store,
            publishers.Count switch { 0 => null, 1 => publishers[0], _ => new CompositeAlertPublisher(publishers) },
            sp.GetRequiredService<MonitoringMetrics>(),
            time,
            sp.GetRequiredService<ILogger<MonitoringPipeline>>())
        {
            Drift = sp.GetRequiredService<DriftMonitor>(),
        };
    }

    /// <summary>The MQTT subscriber (<c>Mqtt:*</c>) and the hosted service that pumps its messages into the pipeline.</summary>
    public static IServiceCollection AddMqttIngest(this IServiceCollection services)
    {
        services.AddSingleton(sp => new MqttIngestClient(
            MqttClientSettings.Create(sp.GetRequiredService<IOptions<MqttOptions>>().Value, sp.GetRequiredService<IOptions<IngestOptions>>().Value,
                sp.GetRequiredService<IOptions<PipelineOptions>>().Value),
            sp.GetRequiredService<ILogger<MqttIngestClient>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var mqtt = sp.GetRequiredService<IOptions<MqttOptions>>().Value;
            return TelemetrySource.Mqtt(sp.GetRequiredService<MqttIngestClient>(), $"mqtt://{mqtt.Host}:{mqtt.Port} {mqtt.Topic}");
        });
        services.AddHostedService<MqttIngestService>();
        return services;
    }

    /// <summary>The demo's simulated plant as the telemetry source.</summary>
    public static IServiceCollection AddDemoPlant(this IServiceCollection services, DemoPlantSettings demo)
    {
        services.AddSingleton(demo);
        services.AddSingleton(TelemetrySource.Demo($"simulated plant: {demo.Strings} strings, {demo.Speed} simulated minutes per second"));
        services.AddHostedService<DemoPlantService>();
        return services;
    }

    /// <summary>The readiness checks behind <c>/readyz</c> (ASP.NET Core health checks).</summary>
    public static IServiceCollection AddWorkerHealthChecks(this IServiceCollection services)
    {
        string[] ready = [WorkerHealthChecks.ReadyTag];
        services.AddHealthChecks()
            .AddCheck<SourceHealthCheck>(WorkerHealthChecks.Source, tags: ready)
            .AddCheck<StoreHealthCheck>(WorkerHealthChecks.Store, tags: ready)
            .AddCheck<ModelHealthCheck>(WorkerHealthChecks.Model, tags: ready)
            .AddCheck<PipelineHealthCheck>(WorkerHealthChecks.Pipeline, tags: ready);
        return services;
    }

    /// <summary>Validates <c>Influx:*</c> only when <c>Influx:Url</c> is set (empty = the embedded SQLite store).</summary>
    private sealed class InfluxSectionValidator : IValidateOptions<InfluxOptions>
    {
        public ValidateOptionsResult Validate(string? name, InfluxOptions options)
        {
            if (string.IsNullOrWhiteSpace(options.Url)) return ValidateOptionsResult.Success;
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
