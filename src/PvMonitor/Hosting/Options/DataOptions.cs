namespace PvMonitor.Hosting.Options;

/// <summary>Local state: embedded store, spool, model registry, logs (section <c>Data</c>).</summary>
public sealed class DataOptions : IServiceOptions
{
    /// <inheritdoc />
    public static string SectionName => "Data";

    /// <summary>Folder for the embedded SQLite store, the Influx spool, trained models and labels. Default <c>data</c> (relative to the working directory).</summary>
    public string Path { get; set; } = "data";

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Path)) yield return "Data:Path must not be empty.";
        else if (Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0) yield return $"Data:Path '{Path}' contains invalid characters.";
    }
}
