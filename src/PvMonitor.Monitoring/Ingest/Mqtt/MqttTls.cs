using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace PvMonitor.Monitoring.Ingest.Mqtt;

/// <summary>
/// MQTTnet TLS options for <see cref="MqttIngestOptions"/>: a private CA as the only trusted root (custom root trust), an optional
/// client certificate, the host name checked by the platform (<see cref="MqttIngestOptions.TlsServerName"/> or the host).
/// Revocation is not checked (private CAs rarely publish CRLs; the platform default for <c>SslStream</c>).
/// </summary>
internal static class MqttTls
{
    public static MqttClientTlsOptions Build(MqttIngestOptions options)
    {
        var builder = new MqttClientTlsOptionsBuilder()
            .UseTls()
            .WithTargetHost(string.IsNullOrEmpty(options.TlsServerName) ? options.Host : options.TlsServerName)
            .WithRevocationMode(X509RevocationMode.NoCheck);
        if (!string.IsNullOrEmpty(options.CaCertificateFile))
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(options.CaCertificateFile);
            if (roots.Count == 0) throw new InvalidOperationException($"Mqtt:CaFile '{options.CaCertificateFile}' holds no PEM certificate.");
            builder.WithTrustChain(roots);
        }

        if (!string.IsNullOrEmpty(options.ClientCertificateFile))
        {
            var path = options.ClientCertificateFile;
            var certificate = path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase)
                ? X509CertificateLoader.LoadPkcs12FromFile(path, null)
                : X509Certificate2.CreateFromPemFile(path, string.IsNullOrEmpty(options.ClientKeyFile) ? null : options.ClientKeyFile);
            builder.WithClientCertificates([certificate]);
        }

        return builder.Build();
    }
}
