using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Settings.Configuration;

namespace PvMonitor.Hosting;

/// <summary>Creates the Serilog logger from the <c>Serilog</c> configuration section (console on stderr + rolling file by default).</summary>
public static class LoggingSetup
{
    /// <summary>Builds a logger from <paramref name="configuration"/>; sinks are looked up in the Console and File sink assemblies only.</summary>
    public static Serilog.Core.Logger CreateLogger(IConfiguration configuration)
    {
        var readerOptions = new ConfigurationReaderOptions(
            typeof(ConsoleLoggerConfigurationExtensions).Assembly,
            typeof(FileLoggerConfigurationExtensions).Assembly)
        {
            SectionName = "Serilog",
        };
        return new LoggerConfiguration()
            .ReadFrom.Configuration(configuration, readerOptions)
            .Enrich.FromLogContext()
            .CreateLogger();
    }
}
