using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PvMonitor.Mqtt.Transport;

/// <summary>
/// TLS material for a connection: an optional private CA that the broker certificate must chain to, and an optional
/// client certificate. Without a CA file the operating system's trust store decides. Loaded per connection attempt
/// and disposed with the connection.
/// </summary>
public sealed class MqttTlsCertificates : IDisposable
{
    private MqttTlsCertificates(X509Certificate2Collection? trustedRoots, X509Certificate2? clientCertificate)
    {
        TrustedRoots = trustedRoots;
        ClientCertificate = clientCertificate;
    }

    /// <summary>CA certificates from <see cref="MqttClientOptions.CaCertificateFile"/>; null = system trust.</summary>
    public X509Certificate2Collection? TrustedRoots { get; }

    public X509Certificate2? ClientCertificate { get; }

    /// <summary>Reads the files named in <paramref name="options"/>; a missing or unreadable file is a <see cref="MqttCommunicationException"/>.</summary>
    public static MqttTlsCertificates Load(MqttClientOptions options)
    {
        try
        {
            X509Certificate2Collection? roots = null;
            if (!string.IsNullOrEmpty(options.CaCertificateFile))
            {
                roots = [];
                roots.ImportFromPemFile(options.CaCertificateFile);
                if (roots.Count == 0)
                    throw new MqttCommunicationException($"Mqtt:CaCertificateFile '{options.CaCertificateFile}' holds no PEM certificate.");
            }

            X509Certificate2? client = null;
            if (!string.IsNullOrEmpty(options.ClientCertificateFile))
            {
                var path = options.ClientCertificateFile;
                client = path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase)
                    ? X509CertificateLoader.LoadPkcs12FromFile(path, options.ClientCertificatePassword)
                    : X509Certificate2.CreateFromPemFile(path, string.IsNullOrEmpty(options.ClientKeyFile) ? null : options.ClientKeyFile);
            }

            return new MqttTlsCertificates(roots, client);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new MqttCommunicationException($"Could not load the MQTT TLS certificates: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        if (TrustedRoots is not null)
        {
            foreach (var root in TrustedRoots)
                root.Dispose();
        }

        ClientCertificate?.Dispose();
    }

    /// <summary>
    /// Validates the broker certificate: the host name must match, and the chain must end in one of
    /// <see cref="TrustedRoots"/> (custom root trust, intermediates taken from what the broker sent) or,
    /// without a CA file, in the system store.
    /// </summary>
    public bool ValidateServerCertificate(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (TrustedRoots is null)
            return errors == SslPolicyErrors.None;
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            return false;

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(TrustedRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        var leaf = certificate as X509Certificate2;
        using var copy = leaf is null ? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()) : null;
        return chain.Build(leaf ?? copy!);
    }
}
