using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PvMonitor.Api;
using PvMonitor.Monitoring.Ingest.Mqtt;
using Serilog.Extensions.Logging;

namespace PvMonitor.Hosting;

/// <summary>Builds and runs the worker process (<c>run</c> and <c>demo</c>): the pipeline, its telemetry source and the HTTP API.</summary>
public static class WorkerHost
{
    /// <summary>
    /// Builds the components (failing fast on a bad model or store), starts the web host on <paramref name="urls"/>, runs until
    /// <paramref name="cancellationToken"/> or SIGTERM/Ctrl+C, drains the pipeline and disposes everything. Returns the exit code.
    /// </summary>
    /// <param name="configuration">Layered configuration (appsettings, --config, PVMON_ environment, --set).</param>
    /// <param name="settings">Bound and validated sections.</param>
    /// <param name="demo">Demo plant settings, or null for the MQTT daemon.</param>
    /// <param name="urls">Listen URLs (<c>Api:Urls</c>, or the demo's port).</param>
    /// <param name="logger">Serilog logger (not disposed here).</param>
    /// <param name="started">Called once the host listens (the demo prints where to look).</param>
    /// <param name="cancellationToken">Stops the process.</param>
    public static async Task<int> RunAsync(IConfiguration configuration, WorkerSettings settings, DemoPlantSettings? demo, string urls,
        Serilog.ILogger logger, Action<MonitoringComponents>? started, CancellationToken cancellationToken)
    {
        using var loggers = new SerilogLoggerFactory(logger);
        var time = TimeProvider.System;
        string? sqliteFile = null;
        if (demo is not null && !settings.UsesInflux)
        {
            sqliteFile = "demo.db";
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                var f = settings.DataFile(sqliteFile) + suffix;
                if (File.Exists(f)) File.Delete(f);
            }
        }

        var components = MonitoringComponents.Create(settings, loggers, time,
            demo is null ? null : new LoggingAlertPublisher(loggers.CreateLogger<LoggingAlertPublisher>()), sqliteFile);
        MqttIngestClient? client = null;
        try
        {
            TelemetrySource source;
            if (demo is null)
            {
                client = new MqttIngestClient(ToClientOptions(settings), loggers.CreateLogger<MqttIngestClient>(), time);
                source = TelemetrySource.Mqtt(client, $"mqtt://{settings.Mqtt.Host}:{settings.Mqtt.Port} {settings.Mqtt.Topic}");
            }
            else
            {
                source = TelemetrySource.Demo($"simulated plant: {demo.Strings} strings, {demo.Speed} simulated minutes per second");
            }

            var app = Build(configuration, settings, components, source, demo, urls, logger, time);
            await using (app)
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                started?.Invoke(components);
                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (client is not null) await client.DisposeAsync().ConfigureAwait(false);
            await components.DisposeAsync().ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>
    /// The MQTT subscriber options for <c>Mqtt:*</c>: persistent session unless <c>Mqtt:CleanSession</c>, QoS 1 subscription to
    /// <c>Mqtt:Topic</c> (as <c>$share/{Mqtt:SharedGroup}/…</c> when set), acknowledgement after the durable write.
    /// </summary>
    public static MqttIngestOptions ToClientOptions(WorkerSettings settings)
    {
        var m = settings.Mqtt;
        var topic = PvMonitor.Monitoring.Ingest.TopicPattern.Parse(settings.Ingest.TopicPattern).SubscriptionFilter;
        return new MqttIngestOptions
        {
            Host = m.Host,
            Port = m.Port,
            UseTls = m.Tls,
            CaCertificateFile = string.IsNullOrEmpty(m.CaFile) ? null : m.CaFile,
            ClientCertificateFile = string.IsNullOrEmpty(m.ClientCertFile) ? null : m.ClientCertFile,
            ClientKeyFile = string.IsNullOrEmpty(m.ClientKeyFile) ? null : m.ClientKeyFile,
            TlsServerName = string.IsNullOrEmpty(m.TlsServerName) ? null : m.TlsServerName,
            Username = string.IsNullOrEmpty(m.Username) ? null : m.Username,
            Password = string.IsNullOrEmpty(m.Password) ? null : m.Password,
            ClientId = m.ClientId,
            CleanSession = m.CleanSession,
            SessionExpirySeconds = m.SessionExpirySeconds,
            KeepAliveSeconds = m.KeepAliveSeconds,
            ProtocolVersion = m.ProtocolVersion,
            Filter = string.IsNullOrEmpty(m.SharedGroup) ? topic : $"$share/{m.SharedGroup}/{topic}",
            ReceiveQueueCapacity = m.ReceiveQueueCapacity,
            // Acknowledged after the durable write: everything the pipeline holds is unacknowledged too (MQTT 5 only).
            ReceiveMaximum = (int)Math.Min(ushort.MaxValue,
                (long)m.ReceiveQueueCapacity + settings.Pipeline.InputQueueCapacity + (long)settings.Pipeline.BatchesInFlight * settings.Pipeline.MaxBatchSize),
        };
    }

    private static WebApplication Build(IConfiguration configuration, WorkerSettings settings, MonitoringComponents components, TelemetrySource source,
        DemoPlantSettings? demo, string urls, Serilog.ILogger logger, TimeProvider time)
    {
        var webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new SerilogLoggerProvider(logger, dispose: false));
        builder.WebHost.UseUrls(urls);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(settings.Pipeline.ShutdownDrainSeconds + 15));
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(components);
        builder.Services.AddSingleton(source);
        builder.Services.AddHostedService<PipelineHostedService>();
        if (demo is not null)
        {
            builder.Services.AddSingleton(demo);
            builder.Services.AddHostedService<DemoPlantService>();
        }
        else
        {
            builder.Services.AddSingleton(source.Client!);
            builder.Services.AddHostedService<MqttIngestService>();
        }

        var app = builder.Build();
        if (Directory.Exists(webRoot))
        {
            var files = new PhysicalFileProvider(webRoot);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }

        app.MapHealthEndpoints();
        app.MapOperatorApi();
        return app;
    }
}
