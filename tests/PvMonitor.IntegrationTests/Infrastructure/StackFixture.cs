using PvMonitor.Cli;
using PvMonitor.Simulation.Live;
using PvMonitor.Testing;

namespace PvMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// Shared by the worker tests: a real mosquitto and InfluxDB 1.x (when installed), and a small SDGM trained in a few seconds on two clear
/// simulated days where some strings carry the IV fault (a two-class model: N and IV), so the fault tests are deterministic.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    /// <summary>Strings whose faults the day CSV schedules: string 3 (index 2) has IV from 10:00 to 12:00.</summary>
    public static readonly DateTimeOffset Day = new(2026, 6, 10, 0, 0, 0, TimeSpan.Zero);

    internal MosquittoServer? Mqtt { get; private set; }

    internal InfluxServer? Influx { get; private set; }

    public string Root { get; } = Directory.CreateTempSubdirectory("pvmonitor-it-").FullName;

    public string ModelPath => Path.Combine(Root, "model");

    public bool Available { get; } = ExternalProgram.Find("mosquitto") is not null && ExternalProgram.Find("influxd") is not null;

    public async Task InitializeAsync()
    {
        var startServers = !Available ? Task.CompletedTask : Task.Run(async () =>
        {
            Mqtt = await MosquittoServer.StartAsync();
            Influx = await InfluxServer.StartAsync();
        });
        var train = Path.Combine(Root, "train.csv");
        var start = Day.AddDays(-2);
        // The two days before the test day, 6 strings: IV episodes that start and end during the day (as in the test) on
        // strings 1 and 3 (day 1, 09:00–13:00) and 0, 2 and 4 (day 2, 11:00–15:00), IV all of day 1 on string 5; the rest normal (N).
        PlantData.Write(train, start, days: 2, strings: 6,
        [
            new ConditionEpisode(1, start.AddHours(9), start.AddHours(13), "IV"),
            new ConditionEpisode(3, start.AddHours(9), start.AddHours(13), "IV"),
            new ConditionEpisode(5, start, start.AddDays(1), "IV"),
            new ConditionEpisode(0, start.AddHours(35), start.AddHours(39), "IV"),
            new ConditionEpisode(2, start.AddHours(35), start.AddHours(39), "IV"),
            new ConditionEpisode(4, start.AddHours(35), start.AddHours(39), "IV"),
        ], minG: 50, seed: 7);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await PvMonitorCli.RunAsync(["train", "--data", train, "--out", ModelPath, "--epochs", "8", "--learning-rate", "3e-3"], stdout, stderr);
        if (code != 0) throw new InvalidOperationException($"training the test model failed ({code}): {stdout}{stderr}");
        await startServers;
    }

    public async Task DisposeAsync()
    {
        if (Mqtt is not null) await Mqtt.DisposeAsync();
        if (Influx is not null) await Influx.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
