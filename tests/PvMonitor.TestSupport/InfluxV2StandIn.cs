using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace PvMonitor.Testing;

/// <summary>
/// A STAND-IN, not InfluxDB: no InfluxDB 2.x/3.x server can be installed on this machine, so the v2 path is tested against this
/// in-process HTTP endpoint (HttpListener on 127.0.0.1, free port). It implements only what InfluxDB.Client uses here:
/// <list type="bullet">
/// <item><c>POST /api/v2/write?org=&amp;bucket=&amp;precision=</c>: <c>Authorization: Token …</c> checked (401 otherwise), org and
/// bucket checked (404 <c>bucket "…" not found</c>), body larger than <see cref="MaxBodyBytes"/> → 413, gzip bodies inflated,
/// any line containing <c>BAD</c> → 400 like 2.x (<c>partial write</c>: the other lines are stored), otherwise 204 and the lines
/// are stored.</item>
/// <item><c>POST /api/v2/query?org=</c>: token checked; the Flux text is recorded and <see cref="QueryAnswer"/> (annotated CSV)
/// returned.</item>
/// </list>
/// Scripted answers (<see cref="FailNext(int, int, int?, string)"/>) come first: e.g. 429/503 with <c>Retry-After</c>. <see cref="Hold"/> keeps write
/// responses back until released, to show that nothing is acknowledged before the server answered.
/// </summary>
public sealed class InfluxV2StandIn : IAsyncDisposable
{
    private HttpListener _listener = new();
    private readonly Task _loop;
    private readonly ConcurrentQueue<(int Status, string Body, string? RetryAfter)> _scripted = new();
    private readonly List<string> _stored = [];
    private readonly List<StandInRequest> _requests = [];
    private readonly List<string> _queries = [];
    private TaskCompletionSource? _hold;

    public InfluxV2StandIn(string org = "pv-org", string bucket = "pv-bucket", string token = "pv-token")
    {
        Org = org;
        Bucket = bucket;
        Token = token;
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Another process took the port between FreePort and Start. A listener whose Start failed keeps the prefix
                // and would bind it again on Close, so start over with a new one.
                HttpListenerCleanup.Abort(_listener);
                _listener = new HttpListener();
            }
        }

        _loop = Task.Run(AcceptLoopAsync);
    }

    public string Org { get; }

    public string Bucket { get; }

    public string Token { get; }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Largest write body accepted (after inflating), bytes; larger bodies get 413. Default 1 MiB.</summary>
    public int MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>The annotated CSV returned for every Flux query. Default: no tables.</summary>
    public string QueryAnswer { get; set; } = "";

    /// <summary>Lines stored, in arrival order.</summary>
    public IReadOnlyList<string> Stored
    {
        get { lock (_stored) return _stored.ToArray(); }
    }

    /// <summary>Every request (writes and queries), answered or not.</summary>
    public IReadOnlyList<StandInRequest> Requests
    {
        get { lock (_requests) return _requests.ToArray(); }
    }

    /// <summary>Flux texts received.</summary>
    public IReadOnlyList<string> Queries
    {
        get { lock (_queries) return _queries.ToArray(); }
    }

    /// <summary>Answers the next <paramref name="times"/> writes with <paramref name="status"/> (and Retry-After seconds) without storing them.</summary>
    public void FailNext(int status, int times = 1, int? retryAfterSeconds = null, string message = "stand-in scripted failure") =>
        FailNext(status, times, retryAfterSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture), message);

    /// <summary>As <see cref="FailNext(int, int, int?, string)"/> with a raw <c>Retry-After</c> value (seconds or an HTTP date).</summary>
    public void FailNext(int status, int times, string? retryAfter, string message = "stand-in scripted failure")
    {
        var body = JsonSerializer.Serialize(new { code = status == 429 ? "too many requests" : "unavailable", message });
        for (var i = 0; i < times; i++)
            _scripted.Enqueue((status, body, retryAfter));
    }

    /// <summary>Write responses wait until <see cref="Release"/> (the request is received and recorded meanwhile).</summary>
    public void Hold() => Interlocked.Exchange(ref _hold, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Lets held write responses go.</summary>
    public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            using var body = new MemoryStream();
            await request.InputStream.CopyToAsync(body);
            var raw = body.ToArray();
            var headers = request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            var path = request.Url!.AbsolutePath;
            var query = request.QueryString;
            var recorded = new StandInRequest(request.HttpMethod, request.Url.PathAndQuery, headers, raw);
            lock (_requests) _requests.Add(recorded);

            if (headers.GetValueOrDefault("Authorization") != "Token " + Token)
            {
                await AnswerAsync(response, 401, Error("unauthorized", "unauthorized access"));
                return;
            }

            switch (request.HttpMethod, path)
            {
                case ("POST", "/api/v2/write"):
                    if (Volatile.Read(ref _hold) is { } hold) await hold.Task;
                    await WriteAsync(response, query["org"], query["bucket"], query["precision"], headers, raw);
                    return;
                case ("POST", "/api/v2/query"):
                    await QueryAsync(response, query["org"], raw);
                    return;
                default:
                    await AnswerAsync(response, 404, Error("not found", "path not found"));
                    return;
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away.
        }
    }

    private async Task WriteAsync(HttpListenerResponse response, string? org, string? bucket, string? precision, Dictionary<string, string> headers, byte[] raw)
    {
        if (_scripted.TryDequeue(out var scripted))
        {
            if (scripted.RetryAfter is { } retryAfter)
                response.AddHeader("Retry-After", retryAfter);
            await AnswerAsync(response, scripted.Status, scripted.Body);
            return;
        }

        if (org != Org)
        {
            await AnswerAsync(response, 404, Error("not found", $"organization name \"{org}\" not found"));
            return;
        }

        if (bucket != Bucket)
        {
            await AnswerAsync(response, 404, Error("not found", $"bucket \"{bucket}\" not found"));
            return;
        }

        if (precision is not ("ns" or "us" or "ms" or "s"))
        {
            await AnswerAsync(response, 400, Error("invalid", $"invalid precision \"{precision}\""));
            return;
        }

        var text = headers.GetValueOrDefault("Content-Encoding") == "gzip" ? Gunzip(raw) : raw;
        if (text.Length > MaxBodyBytes)
        {
            await AnswerAsync(response, 413, Error("request too large", "unable to read data: request too large"));
            return;
        }

        var lines = Encoding.UTF8.GetString(text).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var bad = lines.FirstOrDefault(l => l.Contains("BAD", StringComparison.Ordinal));
        lock (_stored) _stored.AddRange(lines.Where(l => !l.Contains("BAD", StringComparison.Ordinal)));
        if (bad is not null)
        {
            await AnswerAsync(response, 400, Error("invalid", $"partial write: unable to parse '{bad}': invalid field format"));
            return;
        }

        await AnswerAsync(response, 204, "");
    }

    private async Task QueryAsync(HttpListenerResponse response, string? org, byte[] raw)
    {
        if (org != Org)
        {
            await AnswerAsync(response, 404, Error("not found", $"organization name \"{org}\" not found"));
            return;
        }

        using var doc = JsonDocument.Parse(raw);
        var flux = doc.RootElement.GetProperty("query").GetString() ?? "";
        lock (_queries) _queries.Add(flux);
        response.ContentType = "text/csv; charset=utf-8";
        await AnswerAsync(response, 200, QueryAnswer, json: false);
    }

    private static string Error(string code, string message) => JsonSerializer.Serialize(new { code, message });

    private static async Task AnswerAsync(HttpListenerResponse response, int status, string body, bool json = true)
    {
        response.StatusCode = status;
        // One request per connection: HttpListener's keep-alive after an early error answer occasionally left the client's next
        // request on a reused connection unanswered until its timeout.
        response.KeepAlive = false;
        var bytes = Encoding.UTF8.GetBytes(body);
        if (bytes.Length > 0 && json)
            response.ContentType = "application/json; charset=utf-8";
        response.ContentLength64 = bytes.Length;
        if (bytes.Length > 0)
            await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private static byte[] Gunzip(byte[] body)
    {
        using var gz = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gz.CopyTo(output);
        return output.ToArray();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        HttpListenerCleanup.Close(_listener);
        try
        {
            await _loop;
        }
        catch (Exception)
        {
        }
    }
}
