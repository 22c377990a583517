using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;

namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>
/// Posts line protocol to InfluxDB 1.x over HTTP: <c>POST /write?db=&amp;rp=&amp;precision=</c> (Basic authentication when a user
/// is set); gzip when enabled. InfluxDB 2.x/3.x go through InfluxDB.Client instead (<see cref="InfluxV2Endpoint"/>).
/// Maps the response to a <see cref="WriteResult"/>: 204/200 written, 400 and 422 rejected, 413 too large, 429/5xx and network
/// errors retryable (with Retry-After), everything else failed. Safe for concurrent calls.
/// </summary>
public sealed class InfluxV1Endpoint : IInfluxWriteEndpoint, IDisposable
{
    private const int MaxMessageChars = 2_000;
    private static readonly MediaTypeHeaderValue TextPlain = MediaTypeHeaderValue.Parse("text/plain; charset=utf-8");

    private readonly HttpClient _http;
    private readonly bool _ownsClient;
    private readonly bool _gzip;
    private readonly TimeProvider _time;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly Uri[] _uris = new Uri[4];

    /// <summary>Creates an endpoint from <paramref name="options"/> (<see cref="InfluxOptions.Version"/> 1); with no <paramref name="http"/> it owns a client with the request timeout.</summary>
    public InfluxV1Endpoint(InfluxOptions options, HttpClient? http = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        if (options.Version != 1)
            throw new ArgumentException($"{InfluxOptions.SectionName}:Version must be 1 for {nameof(InfluxV1Endpoint)} (was {options.Version}).", nameof(options));
        _gzip = options.Gzip;
        _time = timeProvider ?? TimeProvider.System;
        _ownsClient = http is null;
        _http = http ?? CreateClient(options.RequestTimeoutMs);
        for (var p = WritePrecision.Nanoseconds; p <= WritePrecision.Seconds; p++)
            _uris[(int)p] = BuildWriteUri(options, p);
        if (!string.IsNullOrEmpty(options.Username))
            _authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(options.Username + ":" + options.Password)));
    }

    /// <summary>The write URL used for <paramref name="precision"/> (no credentials in it).</summary>
    public Uri GetWriteUri(WritePrecision precision) => _uris[(int)precision];

    /// <summary>The 1.x write URL for the configured server and <paramref name="precision"/>.</summary>
    public static Uri BuildWriteUri(InfluxOptions options, WritePrecision precision)
    {
        ArgumentNullException.ThrowIfNull(options);
        var query = new StringBuilder(options.Url.TrimEnd('/'));
        query.Append("/write?db=").Append(Uri.EscapeDataString(options.Database ?? ""));
        if (!string.IsNullOrEmpty(options.RetentionPolicy))
            query.Append("&rp=").Append(Uri.EscapeDataString(options.RetentionPolicy));
        query.Append("&precision=").Append(PrecisionV1(precision));
        return new Uri(query.ToString(), UriKind.Absolute);
    }

    /// <summary>The 1.x spelling of a precision: <c>ns</c>, <c>u</c>, <c>ms</c>, <c>s</c> (1.x reads <c>us</c> as nanoseconds).</summary>
    public static string PrecisionV1(WritePrecision precision) => precision switch
    {
        WritePrecision.Nanoseconds => "ns",
        WritePrecision.Microseconds => "u",
        WritePrecision.Milliseconds => "ms",
        _ => "s",
    };

    /// <inheritdoc />
    public async ValueTask<WriteResult> WriteAsync(ReadOnlyMemory<byte> lines, WritePrecision precision, CancellationToken cancellationToken)
    {
        PooledBufferWriter? compressed = null;
        try
        {
            HttpContent content;
            if (_gzip)
            {
                compressed = new PooledBufferWriter(Math.Max(4096, lines.Length / 4));
                using (var gzip = new GZipStream(new BufferWriterStream(compressed), CompressionLevel.Fastest, leaveOpen: false))
                    gzip.Write(lines.Span);
                content = new ReadOnlyMemoryContent(compressed.WrittenMemory);
                content.Headers.ContentEncoding.Add("gzip");
            }
            else
            {
                content = new ReadOnlyMemoryContent(lines);
            }

            content.Headers.ContentType = TextPlain;
            using var request = new HttpRequestMessage(HttpMethod.Post, _uris[(int)precision]) { Content = content };
            if (_authorization is not null)
                request.Headers.Authorization = _authorization;
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            return await ToResultAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return new WriteResult(WriteStatus.Retryable, 0, "connection failed: " + e.Message, null);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new WriteResult(WriteStatus.Retryable, 0, "request timed out: " + e.Message, null);
        }
        catch (IOException e)
        {
            return new WriteResult(WriteStatus.Retryable, 0, "I/O error: " + e.Message, null);
        }
        finally
        {
            compressed?.Dispose();
        }
    }

    private async Task<WriteResult> ToResultAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        if (code is 200 or 204)
            return WriteResult.Written;
        var message = await ReadMessageAsync(response, cancellationToken).ConfigureAwait(false);
        return code switch
        {
            400 or 422 => new WriteResult(WriteStatus.Rejected, code, message, null),
            413 => new WriteResult(WriteStatus.TooLarge, code, message, null),
            429 or >= 500 => new WriteResult(WriteStatus.Retryable, code, message, RetryAfterOf(response)),
            _ => new WriteResult(WriteStatus.Failed, code, message, RetryAfterOf(response)),
        };
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>The server's explanation: <c>{"error":…}</c> (1.x), <c>{"message":…}</c> (proxies speaking 2.x style), the X-Influxdb-Error header, or the body text.</summary>
    private static async Task<string> ReadMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            body = "";
        }

        var fromJson = MessageFromJson(body);
        if (!string.IsNullOrEmpty(fromJson))
            return Truncate(fromJson);
        if (response.Headers.TryGetValues("X-Influxdb-Error", out var values))
            return Truncate(string.Join("; ", values));
        return body.Length > 0 ? Truncate(body.Trim()) : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
    }

    internal static string? MessageFromJson(string body)
    {
        if (body.Length == 0 || body[0] != '{')
            return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
                return error.GetString();
            if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                return message.GetString();
        }
        catch (JsonException)
        {
        }

        return null;
    }

    private static string Truncate(string s) => s.Length <= MaxMessageChars ? s : s[..MaxMessageChars] + "…";

    private static HttpClient CreateClient(int timeoutMs)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromMilliseconds(timeoutMs),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseProxy = false,
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromMilliseconds(timeoutMs) };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
            _http.Dispose();
    }
}
