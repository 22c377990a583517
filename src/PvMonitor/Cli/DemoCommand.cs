using System.CommandLine;
using PvMonitor.Hosting;

namespace PvMonitor.Cli;

/// <summary><c>pvmonitor demo</c>: the whole loop in one process with no external server.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var strings = new Option<int>("--strings") { Description = "Simulated strings (PV strings of one inverter).", DefaultValueFactory = _ => 6 };
        var speed = new Option<double>("--speed") { Description = "Simulated minutes per wall-clock second in daylight (nights are skipped). Default 10: a daylight hour takes 6 s.", DefaultValueFactory = _ => 10 };
        var minutes = new Option<double>("--minutes") { Description = "Stop after this many wall-clock minutes; 0 runs until Ctrl+C.", DefaultValueFactory = _ => 0 };
        var port = new Option<int>("--port") { Description = "Port of the operator page on 127.0.0.1.", DefaultValueFactory = _ => 5080 };
        var seed = CommonOptions.Seed();
        var config = CommonOptions.Config();
        var set = CommonOptions.Set();
        var command = new Command("demo", "Run the whole loop with no external server: a simulated plant (a known fault on string 2 every simulated day 09:00–15:00 and a condition the model never saw on the last string from 10:00 on; nights skipped), the embedded SQLite store, the shipped model, webhooks to the log and the operator page on http://127.0.0.1:5080.")
        {
            strings, speed, minutes, port, seed, config, set,
        };
        command.Validators.Add(r =>
        {
            if (CommonOptions.TryGiven(r, strings, out var stringsValue) && stringsValue is < 1 or > 1000) r.AddError("--strings must be 1–1000.");
            if (CommonOptions.TryGiven(r, speed, out var speedValue) && speedValue is <= 0 or > 100_000) r.AddError("--speed must be > 0 and ≤ 100000.");
            if (CommonOptions.TryGiven(r, minutes, out var minutesValue) && minutesValue < 0) r.AddError("--minutes must be ≥ 0.");
            if (CommonOptions.TryGiven(r, port, out var portValue) && portValue is < 1 or > 65535) r.AddError("--port must be 1–65535.");
        });
        command.SetAction(async (pr, ct) =>
        {
            // The demo is self-contained: no broker, no InfluxDB, and its simulated clock may run ahead of the wall clock.
            var url = $"http://127.0.0.1:{pr.GetValue(port)}";
            // Daylight runs 600× faster by default (10 simulated minutes per second), so the daemon's hourly re-send of open alerts would fire every 6 s: repeat
            // every 12 simulated hours instead (a --set Alerts:RepeatInterval=… on the command line still wins).
            var overrides = new List<string> { "Api:RequireAuth=false", "Influx:Url=", "Ingest:MaxFutureSkew=", "Alerts:OperatorBaseUrl=" + url, "Alerts:RepeatInterval=12:00:00" };
            overrides.AddRange(pr.GetValue(set) ?? []);
            var plant = new DemoPlantSettings(pr.GetValue(strings), pr.GetValue(speed), pr.GetValue(seed));
            var builder = WorkerHost.CreateBuilder(new WorkerMode(plant), pr.GetValue(config), overrides, url);
            var stdout = pr.InvocationConfiguration.Output;
            using var stopAfter = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var wallMinutes = pr.GetValue(minutes);
            if (wallMinutes > 0) stopAfter.CancelAfter(TimeSpan.FromMinutes(wallMinutes));
            try
            {
                return await WorkerHost.RunAsync(builder, c =>
                {
                    stdout.WriteLine($"PvMonitor demo running: {plant.Strings} simulated strings, {plant.Speed} simulated minutes per second.");
                    stdout.WriteLine($"  Operator page:  {url}/");
                    stdout.WriteLine($"  API:            {url}/api/strings  {url}/api/alerts  {url}/api/deadletters  {url}/api/overview");
                    stdout.WriteLine($"  Health/metrics: {url}/healthz  {url}/readyz  {url}/metrics");
                    stdout.WriteLine($"  Results:        {c.Store}");
                    stdout.WriteLine($"  Model:          {c.Model.Manifest.Kind} {c.Model.Manifest.Version} from {c.Model.Path}");
                    foreach (var line in DemoPlantService.Schedule(plant.Strings, plant.Speed))
                        stdout.WriteLine($"  Scheduled:      {line}");
                    stdout.WriteLine("  Alerts are written to the log as webhook bodies (ALERT ...). Ctrl+C stops.");
                }, stopAfter.Token);
            }
            catch (OperationCanceledException) when (stopAfter.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }
        });
        return command;
    }
}
