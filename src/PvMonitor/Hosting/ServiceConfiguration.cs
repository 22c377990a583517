using Microsoft.Extensions.Configuration;

namespace PvMonitor.Hosting;

/// <summary>
/// The service configuration's layers: the shipped <c>appsettings.json</c>, then <c>--config FILE</c>, then environment variables
/// prefixed <c>PVMON_</c> (<c>PVMON_Mqtt__Host</c> → <c>Mqtt:Host</c>), then <c>--set KEY=VALUE</c>. Each section is bound and
/// validated once, by the host (<see cref="PvMonitorServices.AddWorkerOptions"/>).
/// </summary>
public static class ServiceConfiguration
{
    /// <summary>The environment-variable prefix.</summary>
    public const string EnvironmentPrefix = "PVMON_";

    /// <summary>Adds the layers to <paramref name="builder"/> (after clearing what it had).</summary>
    /// <exception cref="StartupException">The --config file is missing or a --set entry is not KEY=VALUE (a configuration error).</exception>
    public static IConfigurationBuilder AddServiceLayers(this IConfigurationBuilder builder, FileInfo? configFile, IReadOnlyList<string> overrides)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var pairs = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in overrides)
        {
            var eq = item.IndexOf('=');
            if (eq <= 0) throw new StartupException($"--set: '{item}' is not KEY=VALUE (e.g. --set Mqtt:Port=1883).", isConfigurationError: true);
            pairs[item[..eq].Trim()] = item[(eq + 1)..];
        }

        if (configFile is not null && !configFile.Exists)
            throw new StartupException($"--config: file '{configFile.FullName}' does not exist.", isConfigurationError: true);

        builder.Sources.Clear();
        builder.SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        if (configFile is not null) builder.AddJsonFile(configFile.FullName, optional: false, reloadOnChange: false);
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddInMemoryCollection(pairs);
        return builder;
    }

    /// <summary>The layered configuration on its own (tests, tools).</summary>
    public static IConfigurationRoot Build(FileInfo? configFile, IReadOnlyList<string> overrides) =>
        new ConfigurationBuilder().AddServiceLayers(configFile, overrides).Build();
}
