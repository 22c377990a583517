namespace PvMonitor.Hosting.Options;

/// <summary>One accepted API token (<c>Api:Tokens:N</c>): only its SHA-256 is configured, so configuration files and logs never hold it.</summary>
public sealed class ApiToken
{
    /// <summary>May read <c>/api/*</c>.</summary>
    public const string ViewerRole = "viewer";

    /// <summary>May also write: labels, conditions, retraining, model activation.</summary>
    public const string OperatorRole = "operator";

    /// <summary>Who holds it: the author of the labels and audit entries written with it.</summary>
    public string Name { get; set; } = "";

    /// <summary>Lower- or upper-case hex SHA-256 of the token's UTF-8 bytes (64 digits).</summary>
    public string Sha256 { get; set; } = "";

    /// <summary><c>viewer</c> or <c>operator</c>. Default <c>viewer</c>.</summary>
    public string Role { get; set; } = ViewerRole;

    /// <summary>True for 64 hex digits.</summary>
    public static bool IsSha256Hex(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigit);
}
