using System.CommandLine;
using PvMonitor.Simulation;

namespace PvMonitor.Cli;

/// <summary><c>pvmonitor simulate</c>: write simulated plant telemetry to CSV.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var defaults = new SimulationOptions();
        var days = new Option<int>("--days") { Description = "Days to simulate.", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo>("--out") { Description = "CSV file to write (header time,plant,string,I,V,G,TExt,TMod,W,label).", Required = true };
        var seed = CommonOptions.Seed();
        var plant = new Option<string>("--plant") { Description = "Plant name written to the 'plant' column.", DefaultValueFactory = _ => defaults.Plant };
        var strings = new Option<int>("--strings") { Description = $"Number of strings ({defaults.StringsPerInverter} per inverter; the 'string' column is INVERTER/STRING).", DefaultValueFactory = _ => 1 };
        var conditions = new Option<string>("--conditions") { Description = "'paper' (Table II's ten conditions in the paper's proportions) or a comma list of condition codes.", DefaultValueFactory = _ => "paper" };
        var start = new Option<DateOnly?>("--start") { Description = $"First day (yyyy-MM-dd, UTC). Default {defaults.Start:yyyy-MM-dd}." };
        var night = new Option<bool>("--include-night") { Description = "Also write night rows (G below the night threshold). Default: daytime rows only." };
        var command = new Command("simulate", "Simulate a PV plant at 1-minute resolution (single-diode physics, weather, the paper's ten conditions) and write labelled telemetry to CSV.")
        {
            days, output, seed, plant, strings, conditions, start, night,
        };
        command.Validators.Add(r =>
        {
            if (CommonOptions.TryGiven(r, days, out var daysValue) && daysValue is < 1 or > 3660) r.AddError("--days must be 1–3660.");
            if (CommonOptions.TryGiven(r, strings, out var stringsValue) && stringsValue is < 1 or > 100_000) r.AddError("--strings must be 1–100000.");
            if (CommonOptions.TryGiven(r, plant, out var plantValue) && string.IsNullOrWhiteSpace(plantValue)) r.AddError("--plant must not be empty.");
        });
        command.SetAction(async (pr, ct) =>
        {
            var options = new SimulationOptions
            {
                Days = pr.GetValue(days),
                Seed = pr.GetValue(seed),
                Plant = pr.GetValue(plant)!,
                Strings = pr.GetValue(strings),
                Conditions = pr.GetValue(conditions)!,
                Start = pr.GetValue(start) ?? defaults.Start,
                IncludeNight = pr.GetValue(night),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message);
            }

            var file = pr.GetRequiredValue(output);
            CliPaths.EnsureWritableFile(file, "--out");
            var summary = await ConsoleProgress.RunAsync("simulate", async progress =>
            {
                await using var writer = new StreamWriter(file.FullName, append: false, new System.Text.UTF8Encoding(false), 1 << 16);
                return await PlantSimulation.WriteCsvAsync(options, writer, new InlineProgress(f => progress.Report((f, ""))), ct);
            }, pr.InvocationConfiguration.Error);
            var perLabel = string.Join(", ", summary.RowsPerLabel.Select(kv => $"{(kv.Key.Length == 0 ? "(none)" : kv.Key)} {kv.Value}"));
            pr.InvocationConfiguration.Output.WriteLine($"wrote {file.FullName}: {summary.Rows} rows, {summary.Days} days, {summary.Strings} strings ({perLabel})");
            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed class InlineProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
