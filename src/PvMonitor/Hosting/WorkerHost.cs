using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PvMonitor.Api;
using PvMonitor.Hosting.Options;
using Serilog;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace PvMonitor.Hosting;

/// <summary>The worker process (<c>run</c> and <c>demo</c>) as a <see cref="WebApplication"/>: the pipeline, its telemetry source and the HTTP API.</summary>
public static class WorkerHost
{
    /// <summary>What the worker reports once it listens (the demo prints it).</summary>
    /// <param name="Urls">Where it listens.</param>
    /// <param name="Store">The result store's description.</param>
    /// <param name="Model">The model in use.</param>
    /// <param name="Log">The worker's logger.</param>
    public sealed record Started(string Urls, string Store, ActiveModel Model, ILogger Log);

    /// <summary>
    /// The builder: configuration layers (<see cref="ServiceConfiguration"/>), Serilog from the <c>Serilog</c> section (Serilog.AspNetCore), the services
    /// of <see cref="PvMonitorServices.AddPvMonitor"/>, and listen URLs (<paramref name="urls"/>, else <c>Api:Urls</c>).
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(WorkerMode mode, FileInfo? configFile, IReadOnlyList<string> overrides, string? urls = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddServiceLayers(configFile, overrides);
        builder.Logging.ClearProviders();
        // Built when the host is: configuration added after this call (tests, WebApplicationFactory) still counts.
        builder.Services.AddSerilog((services, logger) => LoggingSetup.Configure(logger, services.GetRequiredService<IConfiguration>()), preserveStaticLogger: true);
        builder.WebHost.UseUrls(urls ?? builder.Configuration[$"{ApiOptions.SectionName}:{nameof(ApiOptions.Urls)}"] ?? new ApiOptions().Urls);
        builder.Services.AddPvMonitor(mode);
        return builder;
    }

    /// <summary>The application: request logging (<see cref="LoggingSetup.ConfigureRequestLogging"/>), operator page (static files), health, metrics and the operator API.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        // The host's logger, not Serilog's static one (which this process leaves alone: tests run several hosts at once).
        app.UseSerilogRequestLogging(o =>
        {
            LoggingSetup.ConfigureRequestLogging(o);
            o.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
        });
        app.UseStatusCodePages();
        var webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (Directory.Exists(webRoot))
        {
            var files = new PhysicalFileProvider(webRoot);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        app.MapOperatorApi();
        app.MapOperationsApi();
        app.MapModelsApi();
        app.MapAnomaliesApi();
        app.MapRetrainApi();
        app.MapOpenApi("/openapi.json");
        return app;
    }

    /// <summary>
    /// Validates every section, loads the model and opens the store before anything listens (so a bad setting, model or store
    /// stops start-up with one line), starts, calls <paramref name="started"/>, and runs until <paramref name="cancellationToken"/>
    /// or SIGTERM/Ctrl+C; then drains the pipeline and disposes everything. Returns the exit code.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is invalid (the messages name the keys).</exception>
    /// <exception cref="StartupException">The model cannot be loaded or the store cannot be opened.</exception>
    public static async Task<int> RunAsync(WebApplicationBuilder builder, Action<Started>? started, CancellationToken cancellationToken)
    {
        var app = Build(builder);
        await using (app.ConfigureAwait(false))
        {
            Prepare(app.Services);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var api = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
            if (api.RequireAuth && api.Tokens.Count == 0)
                app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PvMonitor.Worker").LogWarning(
                    "Api:RequireAuth is on and Api:Tokens is empty: every /api request is refused (401). Add a token (README, 'Authentication') or set Api:RequireAuth=false.");
            started?.Invoke(new Started(string.Join(";", app.Urls), app.Services.GetRequiredService<ResultStorage>().Description, app.Services.GetRequiredService<ModelHost>().Current,
                app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PvMonitor.Worker")));
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Runs the options validation <c>ValidateOnStart</c> registered, then builds the model, the store and the pipeline.</summary>
    public static void Prepare(IServiceProvider services)
    {
        services.GetService<IStartupValidator>()?.Validate();
        WritableFolder.EnsureDataPath(services.GetRequiredService<IOptions<DataOptions>>().Value.Path);
        services.GetRequiredService<PvMonitor.Monitoring.Pipeline.MonitoringPipeline>();
        services.GetRequiredService<PvMonitor.Monitoring.Operations.OperationsStore>();
    }
}
