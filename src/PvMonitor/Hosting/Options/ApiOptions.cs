using PvMonitor.Monitoring.Configuration;

namespace PvMonitor.Hosting.Options;

/// <summary>The HTTP endpoint for the operator page, health and metrics (section <c>Api</c>).</summary>
public sealed class ApiOptions : ISectionOptions
{
    /// <inheritdoc />
    public static string SectionName => "Api";

    /// <summary>Listen URLs separated by ';'. Default <c>http://127.0.0.1:5080</c>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <inheritdoc />
    public IReadOnlyList<string> Validate() => Problems().ToList();

    private IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Urls))
        {
            yield return "Api:Urls must not be empty.";
            yield break;
        }

        foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri) ||
                (uri.Scheme != "http" && uri.Scheme != "https"))
                yield return $"Api:Urls entry '{url}' is not an absolute http(s) URL.";
        }
    }
}
