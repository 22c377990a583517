using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PvMonitor.Monitoring.Tests.Storage.Influx.TestSupport;

/// <summary>
/// A minimal HTTP/1.1 server on a TcpListener (127.0.0.1, free port): records each request (method, target, headers, body)
/// and answers with the next scripted response (default 204). One request per connection.
/// </summary>
public sealed class FakeHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<(int Status, string Headers, string Body)> _responses = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Task _loop;

    public FakeHttpServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_requests) return _requests.ToArray(); }
    }

    public void Respond(int status, string body = "", string extraHeaders = "")
    {
        lock (_responses) _responses.Enqueue((status, extraHeaders, body));
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8)) < 0)
        {
            var n = await stream.ReadAsync(chunk);
            if (n == 0) return;
            buffer.AddRange(chunk.AsSpan(0, n).ToArray());
        }

        var head = Encoding.ASCII.GetString(buffer.GetRange(0, headerEnd).ToArray()).Split("\r\n");
        var requestLine = head[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in head.Skip(1))
        {
            var colon = h.IndexOf(':');
            headers[h[..colon].Trim()] = h[(colon + 1)..].Trim();
        }

        var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : 0;
        var body = buffer.Skip(headerEnd + 4).ToList();
        while (body.Count < length)
        {
            var n = await stream.ReadAsync(chunk);
            if (n == 0) break;
            body.AddRange(chunk.AsSpan(0, n).ToArray());
        }

        lock (_requests) _requests.Add(new RecordedRequest(requestLine[0], requestLine[1], headers, body.ToArray()));
        (int Status, string Headers, string Body) response;
        lock (_responses) response = _responses.Count > 0 ? _responses.Dequeue() : (204, "", "");
        var bodyBytes = Encoding.UTF8.GetBytes(response.Body);
        var text = $"HTTP/1.1 {response.Status} X\r\nContent-Length: {bodyBytes.Length}\r\nConnection: close\r\n" +
                   (response.Body.Length > 0 ? "Content-Type: application/json\r\n" : "") + response.Headers + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
        await stream.WriteAsync(bodyBytes);
        await stream.FlushAsync();
    }

    private static int IndexOf(List<byte> haystack, ReadOnlySpan<byte> needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++)
                match = haystack[i + j] == needle[j];
            if (match) return i;
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
        }

        _stop.Dispose();
    }
}

public sealed record RecordedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body);
