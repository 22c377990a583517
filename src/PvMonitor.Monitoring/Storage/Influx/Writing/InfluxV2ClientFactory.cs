using InfluxDB.Client;

namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>Builds an <see cref="InfluxDBClient"/> from <see cref="InfluxOptions"/> (version 2), shared by the write and query sides.</summary>
internal static class InfluxV2ClientFactory
{
    /// <summary>
    /// A client for <see cref="InfluxOptions.Url"/> with the token, org, bucket, gzip setting and <paramref name="requestTimeout"/>
    /// (default <see cref="InfluxOptions.RequestTimeoutMs"/>).
    /// </summary>
    /// <param name="options">Version-2 settings.</param>
    /// <param name="requestTimeout">Longest one request may take.</param>
    /// <param name="http">An HttpClient for the client to send with (tests, benchmarks); default: the client's own.</param>
    public static InfluxDBClient Create(InfluxOptions options, TimeSpan? requestTimeout = null, HttpClient? http = null)
    {
        var clientOptions = new InfluxDBClientOptions(options.Url)
        {
            Token = options.Token,
            Org = options.Org,
            Bucket = options.Bucket,
            Timeout = requestTimeout ?? TimeSpan.FromMilliseconds(options.RequestTimeoutMs),
            AllowHttpRedirects = false,
        };
        if (http is not null)
            clientOptions.HttpClient = http;
        var client = new InfluxDBClient(clientOptions);
        if (options.Gzip)
            client.EnableGzip();
        return client;
    }
}
