using Microsoft.Extensions.Configuration;
using PvMonitor.Cli;
using PvMonitor.Hosting.Options;

namespace PvMonitor.Hosting;

/// <summary>
/// Builds the service configuration: the shipped <c>appsettings.json</c>, then <c>--config FILE</c>, then environment variables
/// prefixed <c>PVMON_</c> (<c>PVMON_Mqtt__Host</c> → <c>Mqtt:Host</c>), then <c>--set KEY=VALUE</c>; and binds and validates each section.
/// </summary>
public static partial class ServiceConfiguration
{
    /// <summary>The environment-variable prefix.</summary>
    public const string EnvironmentPrefix = "PVMON_";

    /// <summary>Builds the layered configuration.</summary>
    /// <exception cref="CliException">The --config file is missing or a --set entry is not KEY=VALUE.</exception>
    public static IConfigurationRoot Build(FileInfo? configFile, IReadOnlyList<string> overrides)
    {
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        if (configFile is not null)
        {
            if (!configFile.Exists) throw new CliException($"--config: file '{configFile.FullName}' does not exist.");
            builder.AddJsonFile(configFile.FullName, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        var pairs = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in overrides)
        {
            var eq = item.IndexOf('=');
            if (eq <= 0) throw new CliException($"--set: '{item}' is not KEY=VALUE (e.g. --set Mqtt:Port=1883).");
            pairs[item[..eq].Trim()] = item[(eq + 1)..];
        }

        builder.AddInMemoryCollection(pairs);
        return builder.Build();
    }

    /// <summary>Binds section <typeparamref name="T"/> and validates it.</summary>
    /// <exception cref="CliException">A value does not convert, or <see cref="IServiceOptions.Validate"/> reports problems; the message names the key.</exception>
    public static T Bind<T>(IConfiguration configuration) where T : class, IServiceOptions, new()
    {
        var options = new T();
        var section = configuration.GetSection(T.SectionName);
        try
        {
            section.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new CliException($"Configuration error: {Describe(ex, T.SectionName)}");
        }

        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new CliException("Configuration error: " + string.Join(" ", problems));
        return options;
    }

    /// <summary>Binds and validates every section the daemon uses, so a bad value stops start-up before anything connects.</summary>
    public static void ValidateAll(IConfiguration configuration)
    {
        Bind<MqttOptions>(configuration);
        Bind<InfluxOptions>(configuration);
        Bind<ModelOptions>(configuration);
        Bind<ApiOptions>(configuration);
        Bind<DataOptions>(configuration);
    }

    private static string Describe(InvalidOperationException ex, string section)
    {
        // The binder says "Failed to convert configuration value 'abc' at 'Mqtt:Port' to type 'System.Int32'." for bad values and
        // "... the following properties were not found on the instance of T: 'Hots', 'Prot'" for unknown keys.
        var message = ex.Message;
        var conversion = ConversionError().Match(message);
        if (conversion.Success)
        {
            var type = conversion.Groups["type"].Value switch
            {
                "System.Int32" or "System.Int64" => "an integer",
                "System.Boolean" => "true or false",
                "System.Double" or "System.Single" => "a number",
                var other => other,
            };
            return $"{conversion.Groups["key"].Value}: '{conversion.Groups["value"].Value}' is not {type}.";
        }

        var unknown = UnknownKeys().Match(message);
        if (unknown.Success)
        {
            var keys = unknown.Groups["keys"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(k => $"{section}:{k.Trim('\'')}");
            return $"unknown key {string.Join(", ", keys)} (see the configuration reference in README.md).";
        }

        return message;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"value '(?<value>[^']*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'")]
    private static partial System.Text.RegularExpressions.Regex ConversionError();

    [System.Text.RegularExpressions.GeneratedRegex(@"were not found on the instance of [^:]+: (?<keys>.+)$")]
    private static partial System.Text.RegularExpressions.Regex UnknownKeys();
}
