using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PvMonitor.Hosting.Options;

namespace PvMonitor.Api.Auth;

/// <summary>
/// <c>Authorization: Bearer TOKEN</c> against <c>Api:Tokens</c>: the token's SHA-256 is compared in constant time with each
/// configured hash; the principal is the token's name with its role. Without <c>Api:RequireAuth</c> every request is the
/// operator <c>anonymous</c>. The token itself is never logged.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<ApiOptions> api) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiToken";

    /// <summary>The actor of requests without authentication.</summary>
    public const string Anonymous = "anonymous";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var settings = api.Value;
        if (!settings.RequireAuth) return Task.FromResult(Success(Anonymous, ApiToken.OperatorRole));
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return Task.FromResult(AuthenticateResult.NoResult());
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.Fail("The Authorization header is not 'Bearer TOKEN'."));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim()), hash);
        ApiToken? match = null;
        Span<byte> expected = stackalloc byte[32];
        foreach (var token in settings.Tokens)
        {
            // Every configured hash is compared (no early exit), each in constant time.
            if (Convert.FromHexString(token.Sha256, expected, out _, out _) == System.Buffers.OperationStatus.Done &&
                CryptographicOperations.FixedTimeEquals(hash, expected))
                match ??= token;
        }

        return Task.FromResult(match is null ? AuthenticateResult.Fail("Unknown API token.") : Success(match.Name, match.Role));
    }

    private static AuthenticateResult Success(string name, string role)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
