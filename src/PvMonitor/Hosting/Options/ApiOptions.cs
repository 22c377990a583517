using PvMonitor.Monitoring.Configuration;

namespace PvMonitor.Hosting.Options;

/// <summary>The HTTP endpoint for the operator page, health and metrics (section <c>Api</c>).</summary>
public sealed class ApiOptions : ISectionOptions
{
    /// <inheritdoc />
    public static string SectionName => "Api";

    /// <summary>Listen URLs separated by ';'. Default <c>http://127.0.0.1:5080</c>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// Require a bearer token on <c>/api/*</c> (the operator page asks for one). Default true; the demo sets false. <c>/healthz</c>,
    /// <c>/readyz</c>, <c>/metrics</c> and the page's static files never need one.
    /// </summary>
    public bool RequireAuth { get; set; } = true;

    /// <summary>The accepted API tokens (section <c>Api:Tokens:N</c>), stored as SHA-256 hashes, each with a name and a role. Default none.</summary>
    public List<ApiToken> Tokens { get; set; } = [];

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

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Tokens.Count; i++)
        {
            var t = Tokens[i];
            var key = $"Api:Tokens:{i}";
            if (string.IsNullOrWhiteSpace(t.Name)) yield return $"{key}:Name must not be empty (it names the author of labels and audit entries).";
            else if (!names.Add(t.Name)) yield return $"{key}:Name '{t.Name}' is used by another token.";
            if (!ApiToken.IsSha256Hex(t.Sha256))
                yield return $"{key}:Sha256 must be the 64 hex digits of the token's SHA-256 (printf %s \"$TOKEN\" | sha256sum), not the token itself.";
            if (t.Role is not (ApiToken.ViewerRole or ApiToken.OperatorRole)) yield return $"{key}:Role must be {ApiToken.ViewerRole} or {ApiToken.OperatorRole} (was '{t.Role}').";
        }
    }
}
