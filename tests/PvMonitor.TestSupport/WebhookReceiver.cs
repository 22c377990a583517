using System.Collections.Concurrent;
using System.Net;

namespace PvMonitor.Testing;

/// <summary>A real HTTP server on 127.0.0.1 (HttpListener) that records POSTs and answers as the test says.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, HttpListenerResponse, Task> _respond;
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private int _count;

    /// <param name="respond">Called with the 0-based request number; sets status/headers (the receiver closes the response afterwards).</param>
    public WebhookReceiver(Func<int, HttpListenerResponse, Task>? respond = null)
    {
        _respond = respond ?? ((_, r) => { r.StatusCode = 200; return Task.CompletedTask; });
        Port = ExternalProgram.FreeTcpPort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url(string path = "hook") => $"http://127.0.0.1:{Port}/{path}";

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>A task that completes when the receiver is disposed (for handlers that hang).</summary>
    public Task Stopping => _stopping.Task;

    public async ValueTask DisposeAsync()
    {
        _stopping.TrySetResult();
        HttpListenerCleanup.Close(_listener);
        try { await _loop; } catch (Exception) { /* listener closed */ }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            Requests.Enqueue(new Received(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body.ToArray()));
            var n = Interlocked.Increment(ref _count) - 1;
            await _respond(n, context.Response);
            context.Response.Close();
        }
        catch (Exception)
        {
            // client gone or listener closed
        }
    }

    public sealed record Received(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body);
}
