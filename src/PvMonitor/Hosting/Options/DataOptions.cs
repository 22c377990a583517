using PvMonitor.Monitoring.Configuration;

namespace PvMonitor.Hosting.Options;

/// <summary>Local state: embedded store, spool, model registry, logs (section <c>Data</c>).</summary>
public sealed class DataOptions : ISectionOptions
{
    /// <inheritdoc />
    public static string SectionName => "Data";

    /// <summary>Folder for the embedded SQLite store, the Influx spool, trained models and labels. Default <c>data</c> (relative to the working directory).</summary>
    public string Path { get; set; } = "data";

    /// <inheritdoc />
    public IReadOnlyList<string> Validate() => Problems().ToList();

    private IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Path)) yield return "Data:Path must not be empty.";
        else if (Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0) yield return $"Data:Path '{Path}' contains invalid characters.";
    }

    /// <summary>Resolves <paramref name="path"/> against <see cref="Path"/> unless it is absolute.</summary>
    public string Resolve(string path) =>
        System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, path));

    /// <summary>
    /// <c>Data:Path</c> read straight from <paramref name="configuration"/> (default when unset), for code that runs before or
    /// without the bound options: other sections' paths and the offline <c>models</c> verbs.
    /// </summary>
    public static DataOptions FromConfiguration(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        new() { Path = configuration[$"{SectionName}:{nameof(Path)}"] is { Length: > 0 } path ? path : new DataOptions().Path };
}
