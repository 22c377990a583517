namespace PvMonitor.Hosting.Options;

/// <summary>The model that scores telemetry (section <c>Model</c>).</summary>
public sealed class ModelOptions : IServiceOptions
{
    /// <inheritdoc />
    public static string SectionName => "Model";

    /// <summary>Model directory (with <c>manifest.json</c>). Default <c>models/default</c>, the shipped model, resolved against the
    /// working directory and then the installation directory.</summary>
    public string Path { get; set; } = "models/default";

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Path)) yield return "Model:Path must not be empty.";
    }
}
