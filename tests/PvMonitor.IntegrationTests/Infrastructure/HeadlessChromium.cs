using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using PvMonitor.Testing;

namespace PvMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's <c>chromium</c> in headless mode, for the operator page's browser tests: <see cref="OpenAsync"/> keeps one page
/// open and drives it over the DevTools protocol
/// (a WebSocket, no extra package): evaluate JavaScript, wait for a condition, click, type, drag with real mouse events.
/// Killed by PID on dispose.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>Flags of every run: headless, no sandbox (containers), nothing that calls home.</summary>
    public static readonly string[] Flags =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly Process _process;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private int _nextId;

    private HeadlessChromium(Process process, ClientWebSocket socket)
    {
        _process = process;
        _socket = socket;
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Starts chromium on <paramref name="url"/> and connects to its page over the DevTools protocol.</summary>
    public static async Task<HeadlessChromium> OpenAsync(string url, string profileDirectory)
    {
        var psi = StartInfo(profileDirectory);
        psi.ArgumentList.Add("--remote-debugging-port=0");
        psi.ArgumentList.Add("--remote-allow-origins=*");
        psi.ArgumentList.Add("--window-size=1280,2400");
        psi.ArgumentList.Add(url);
        var process = Process.Start(psi)!;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            const string Marker = "DevTools listening on ";
            if (e.Data?.IndexOf(Marker, StringComparison.Ordinal) is int at and >= 0) listening.TrySetResult(e.Data[(at + Marker.Length)..].Trim());
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var browser = new Uri(await listening.Task.WaitAsync(TimeSpan.FromSeconds(30)));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var targets = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{browser.Port}/json/list")).RootElement;
                var page = targets.EnumerateArray().FirstOrDefault(t => t.GetProperty("type").GetString() == "page");
                if (page.ValueKind == JsonValueKind.Object)
                {
                    var socket = new ClientWebSocket();
                    await socket.ConnectAsync(new Uri(page.GetProperty("webSocketDebuggerUrl").GetString()!), CancellationToken.None);
                    return new HeadlessChromium(process, socket);
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("chromium opened no page within 30 s");
                await Task.Delay(100);
            }
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    private static ProcessStartInfo StartInfo(string profileDirectory)
    {
        var psi = new ProcessStartInfo(ExternalProgram.Find("chromium") ?? throw new InvalidOperationException("chromium is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var flag in Flags) psi.ArgumentList.Add(flag);
        psi.ArgumentList.Add($"--user-data-dir={profileDirectory}");
        return psi;
    }

    /// <summary>Sends one DevTools command and returns its <c>result</c>.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var message = await reply.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (message.TryGetProperty("error", out var error)) throw new InvalidOperationException($"{method}: {error}");
        return message.GetProperty("result");
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (promises awaited) and returns its value as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, awaitPromise = true, returnByValue = true });
        if (result.TryGetProperty("exceptionDetails", out var exception))
            throw new InvalidOperationException($"page script failed: {expression}\n{exception}");
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>
    /// Polls <paramref name="expression"/> until it is truthy and returns that value (a script error, e.g. while the page is
    /// still loading, counts as not yet); on timeout fails with the last value and the page's text.
    /// </summary>
    public async Task<JsonElement> WaitForAsync(string expression, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        object? last = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                var value = await EvaluateAsync(expression);
                if (IsTruthy(value)) return value;
                last = value;
            }
            catch (InvalidOperationException ex) when (ex.Message.StartsWith("page script failed", StringComparison.Ordinal))
            {
                last = ex.Message; // the page is still loading (elements not there yet)
            }

            await Task.Delay(100);
        }

        var text = (await EvaluateAsync("location.href + ' (' + document.readyState + ')\\n' + (document.body ? document.body.innerText : '')")).GetString() ?? "";
        throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:0} s (last: {last}). Page text:\n{(text.Length > 4000 ? text[..4000] : text)}");
    }

    private static bool IsTruthy(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.Object or JsonValueKind.Array => true,
        JsonValueKind.String => v.GetString()!.Length > 0,
        JsonValueKind.Number => v.GetDouble() != 0,
        _ => false,
    };

    /// <summary>The text of the first element matching <paramref name="selector"/> ("" when there is none).</summary>
    public async Task<string> TextAsync(string selector) =>
        (await EvaluateAsync($"document.querySelector({Js(selector)})?.innerText ?? ''")).GetString() ?? "";

    /// <summary>Clicks the first element matching <paramref name="selector"/> (fails when there is none).</summary>
    public Task ClickAsync(string selector) =>
        EvaluateAsync($"(() => {{ const el = document.querySelector({Js(selector)}); if (!el) throw new Error('no element ' + {Js(selector)}); el.click(); return true; }})()");

    /// <summary>Sets an input's or select's value as typing would (input and change events).</summary>
    public Task FillAsync(string selector, string value) =>
        EvaluateAsync($"(() => {{ const el = document.querySelector({Js(selector)}); if (!el) throw new Error('no element ' + {Js(selector)}); el.value = {Js(value)}; " +
                      "el.dispatchEvent(new Event('input', { bubbles: true })); el.dispatchEvent(new Event('change', { bubbles: true })); return true; })()");

    /// <summary>Drags the mouse across the element matching <paramref name="selector"/> from one fraction of its width to another, half-way down.</summary>
    public async Task DragAsync(string selector, double fromFraction, double toFraction)
    {
        var box = await EvaluateAsync($"(() => {{ const r = document.querySelector({Js(selector)}).getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; }})()");
        var (left, top, width, height) = (box[0].GetDouble(), box[1].GetDouble(), box[2].GetDouble(), box[3].GetDouble());
        var y = top + height / 2;
        double X(double f) => left + width * f;
        await SendAsync("Input.dispatchMouseEvent", new { type = "mouseMoved", x = X(fromFraction), y });
        await SendAsync("Input.dispatchMouseEvent", new { type = "mousePressed", x = X(fromFraction), y, button = "left", buttons = 1, clickCount = 1 });
        for (var step = 1; step <= 5; step++)
            await SendAsync("Input.dispatchMouseEvent", new { type = "mouseMoved", x = X(fromFraction + (toFraction - fromFraction) * step / 5), y, button = "left", buttons = 1 });
        await SendAsync("Input.dispatchMouseEvent", new { type = "mouseReleased", x = X(toFraction), y, button = "left", buttons = 0, clickCount = 1 });
    }

    /// <summary>Saves a PNG screenshot of the page.</summary>
    public async Task ScreenshotAsync(string path)
    {
        var shot = await SendAsync("Page.captureScreenshot", new { format = "png" });
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
    }

    /// <summary>A JavaScript string literal of <paramref name="text"/>.</summary>
    public static string Js(string text) => JsonSerializer.Serialize(text);

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var read = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (read.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, read.Count);
                if (!read.EndOfMessage) continue;
                var root = JsonDocument.Parse(message.ToArray()).RootElement;
                message.SetLength(0);
                if (root.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var reply)) reply.TrySetResult(root.Clone());
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }

        foreach (var reply in _pending.Values) reply.TrySetException(new InvalidOperationException("chromium closed the DevTools connection"));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reader;
        }
        catch (WebSocketException)
        {
        }

        _socket.Dispose();
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
        _stop.Dispose();
    }
}
