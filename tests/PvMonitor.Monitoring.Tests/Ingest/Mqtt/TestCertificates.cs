namespace PvMonitor.Monitoring.Tests.Ingest.Mqtt;

/// <summary>
/// A throw-away PKI made with openssl for the TLS tests: a CA, a server certificate for localhost/127.0.0.1 signed by
/// it, a client certificate signed by it, and an unrelated second CA that must not be trusted. EC P-256 keys (fast).
/// </summary>
internal sealed class TestCertificates
{
    private TestCertificates(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaFile => Path.Combine(Directory, "ca.crt");

    public string OtherCaFile => Path.Combine(Directory, "other-ca.crt");

    public string ServerCertFile => Path.Combine(Directory, "server.crt");

    public string ServerKeyFile => Path.Combine(Directory, "server.key");

    public string ClientCertFile => Path.Combine(Directory, "client.crt");

    public string ClientKeyFile => Path.Combine(Directory, "client.key");

    public static async Task<TestCertificates> CreateAsync(string directory)
    {
        var certs = new TestCertificates(directory);
        await CreateCaAsync(directory, "ca", "PvMonitor Test CA");
        await CreateCaAsync(directory, "other-ca", "Someone Else's CA");
        await CreateLeafAsync(directory, "server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth");
        await CreateLeafAsync(directory, "client", "pvmonitor-client", "extendedKeyUsage=clientAuth");
        return certs;
    }

    private static Task Openssl(string arguments, string directory) => MosquittoBroker.RunAsync("openssl", arguments, directory);

    private static async Task CreateCaAsync(string directory, string name, string commonName) =>
        await Openssl($"req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout {name}.key -out {name}.crt -days 2 " +
            $"-subj \"/CN={commonName}\" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign", directory);

    private static async Task CreateLeafAsync(string directory, string name, string commonName, string extensions)
    {
        await Openssl($"req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout {name}.key -out {name}.csr -subj \"/CN={commonName}\"", directory);
        await File.WriteAllTextAsync(Path.Combine(directory, $"{name}.ext"), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" + extensions + "\n");
        await Openssl($"x509 -req -in {name}.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out {name}.crt -days 2 -extfile {name}.ext", directory);
    }
}
