using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PvMonitor.Tests.Api;

/// <summary>
/// The real <c>pvmonitor run</c> host (Program → CLI → <c>WorkerHost</c>) on the test server: shipped model, SQLite in a temp
/// folder, MQTT pointed at a closed port (the subscriber keeps retrying; <c>/readyz</c> says so). Settings are added on top of
/// the service configuration as <c>--set</c> would; <c>Api:RequireAuth</c> is off unless a test sets it.
/// </summary>
internal sealed class WorkerFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public WorkerFactory(params (string Key, string Value)[] settings)
    {
        Data = Path.Combine(Path.GetTempPath(), "pvmon-api-" + Guid.NewGuid().ToString("N")[..8]);
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Data:Path"] = Data,
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = "9",
            ["Api:RequireAuth"] = "false",
        };
        foreach (var (key, value) in settings) _settings[key] = value;
    }

    /// <summary>The temp data folder (deleted on dispose).</summary>
    public string Data { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            if (Directory.Exists(Data)) Directory.Delete(Data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
