using System.Security.Cryptography;
using System.Text;

namespace PvMonitor.Monitoring.Alerts;

/// <summary>
/// The <c>X-PvMonitor-Signature</c> header: <c>sha256=</c> followed by the lowercase hex HMAC-SHA256 of the exact body bytes,
/// keyed with the UTF-8 bytes of the webhook's secret. Receivers recompute it and compare in constant time (<see cref="Verify"/>).
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header name.</summary>
    public const string HeaderName = "X-PvMonitor-Signature";

    /// <summary>The value prefix.</summary>
    public const string Prefix = "sha256=";

    /// <summary>Computes the header value for <paramref name="body"/>.</summary>
    public static string Compute(string secret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, mac);
        return Prefix + Convert.ToHexStringLower(mac);
    }

    /// <summary>True when <paramref name="headerValue"/> is the valid signature of <paramref name="body"/> (constant-time comparison).</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? headerValue)
    {
        if (headerValue is null) return false;
        var expected = Encoding.ASCII.GetBytes(Compute(secret, body));
        var actual = Encoding.ASCII.GetBytes(headerValue);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
