using System.Diagnostics;
using System.Globalization;
using PvMonitor.Simulation;

// Simulator benchmark and data generator.
//   dotnet run -c Release -- bench                       the two speed targets (60 days × 1 string; 1 day × 1,000 strings)
//   dotnet run -c Release -- csv OUT.csv [days] [seed] [conditions] [strings]   write a CSV (as `pvmonitor simulate` does)
var mode = args.Length > 0 ? args[0] : "bench";
if (mode == "csv")
{
    var options = new SimulationOptions
    {
        Days = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 60,
        Seed = args.Length > 3 ? long.Parse(args[3], CultureInfo.InvariantCulture) : 1,
        Conditions = args.Length > 4 ? args[4] : "paper",
        Strings = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 1,
    };
    var sw = Stopwatch.StartNew();
    await using var writer = new StreamWriter(args[1]);
    var summary = await PlantSimulation.WriteCsvAsync(options, writer);
    Console.WriteLine($"{summary.Rows} rows in {sw.Elapsed.TotalSeconds:F2} s");
    foreach (var (label, count) in summary.RowsPerLabel.OrderBy(k => k.Key, StringComparer.Ordinal))
        Console.WriteLine($"  {label,-6} {count,7} {100.0 * count / summary.Rows,6:F2} %");
    return;
}

await Run("60 days x 1 string (paper)", new SimulationOptions { Days = 60, Strings = 1 }, 5);
await Run("1 day x 1,000 strings (paper)", new SimulationOptions { Days = 1, Strings = 1000 }, 60);
await Run("1 day x 1,000 strings (all daylight, N)", new SimulationOptions { Days = 1, Strings = 1000, Conditions = "N" }, 60);

static async Task Run(string name, SimulationOptions options, double targetSeconds)
{
    // One warm-up run of a day so JIT time is not counted twice; the timed run includes CSV formatting to a null sink.
    await PlantSimulation.WriteCsvAsync(options with { Days = 1, Strings = Math.Min(options.Strings, 4) }, TextWriter.Null);
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    var summary = await PlantSimulation.WriteCsvAsync(options, TextWriter.Null);
    var s = sw.Elapsed.TotalSeconds;
    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
    Console.WriteLine($"{name,-42} wall {s,6:F2} s  cpu {cpu,6:F2} s  (target ≤ {targetSeconds} s wall)  {summary.Rows,9} rows  {Environment.ProcessorCount} cores");
}
