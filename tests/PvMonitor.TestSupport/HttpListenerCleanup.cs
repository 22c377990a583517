using System.Net;

namespace PvMonitor.Testing;

/// <summary>
/// Stops a test server's <see cref="HttpListener"/> without failing the test: on Linux, closing a listener looks its port
/// up again and throws "Address already in use" when another process took that port meanwhile (test projects run in
/// parallel and free ports are reused). The server is going away either way.
/// </summary>
public static class HttpListenerCleanup
{
    /// <summary>Stops and closes <paramref name="listener"/>, ignoring the port race.</summary>
    public static void Close(HttpListener listener)
    {
        try
        {
            listener.Stop();
            listener.Close();
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Drops a listener whose start failed.</summary>
    public static void Abort(HttpListener listener)
    {
        try
        {
            listener.Abort();
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
