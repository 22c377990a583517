using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.AspNetCore;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Settings.Configuration;

namespace PvMonitor.Hosting;

/// <summary>
/// Serilog for the worker (Serilog.AspNetCore): the logger from the <c>Serilog</c> configuration section (console on stderr +
/// rolling file by default; a file sink may write compact JSON with
/// <c>Serilog:WriteTo:N:Args:formatter = Serilog.Formatting.Compact.CompactJsonFormatter, Serilog.Formatting.Compact</c>) and
/// the level of each HTTP request's one summary line.
/// </summary>
public static class LoggingSetup
{
    /// <summary>Paths polled by health checks, Prometheus and browsers: their requests are logged at Verbose.</summary>
    private static readonly string[] QuietPaths = ["/healthz", "/readyz", "/metrics"];

    /// <summary>Builds a logger from <paramref name="configuration"/> (see <see cref="Configure"/>).</summary>
    public static Serilog.Core.Logger CreateLogger(IConfiguration configuration) => Configure(new LoggerConfiguration(), configuration).CreateLogger();

    /// <summary>Reads the <c>Serilog</c> section of <paramref name="configuration"/> into <paramref name="logger"/>; sinks and formatters come from the Console, File and Compact assemblies.</summary>
    public static LoggerConfiguration Configure(LoggerConfiguration logger, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var readerOptions = new ConfigurationReaderOptions(
            typeof(ConsoleLoggerConfigurationExtensions).Assembly,
            typeof(FileLoggerConfigurationExtensions).Assembly,
            typeof(CompactJsonFormatter).Assembly)
        {
            SectionName = "Serilog",
        };
        return logger.ReadFrom.Configuration(configuration, readerOptions).Enrich.FromLogContext();
    }

    /// <summary>
    /// Request logging (one line per request: method, path, status, elapsed ms): server errors (5xx) at Error, writes (POST, PUT,
    /// DELETE, …) at Information, reads at Debug, and <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c> and static files at Verbose, so
    /// the default Information level shows the operator API's writes and failures, not the polling.
    /// </summary>
    public static void ConfigureRequestLogging(RequestLoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.GetLevel = RequestLevel;
    }

    /// <summary>The level of one request's summary line (see <see cref="ConfigureRequestLogging"/>).</summary>
    public static LogEventLevel RequestLevel(HttpContext context, double elapsedMs, Exception? error)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (error is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError) return LogEventLevel.Error;
        var path = context.Request.Path;
        if (Array.Exists(QuietPaths, p => path.Equals(p, StringComparison.OrdinalIgnoreCase))) return LogEventLevel.Verbose;
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            return path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) ? LogEventLevel.Debug : LogEventLevel.Verbose;
        return LogEventLevel.Information;
    }
}
