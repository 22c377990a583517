using Microsoft.Extensions.DependencyInjection;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Hosting;
using PvMonitor.Monitoring.Storage;
using PvMonitor.Testing;

namespace PvMonitor.Tests.Hosting;

/// <summary>
/// The worker's wiring for <c>Influx:Version=2</c>: results written through the store reach the v2 write API with the token,
/// and the operator page's reader asks the v2 query API (Flux). Against <see cref="InfluxV2StandIn"/>, a stand-in for the parts
/// of the v2 API InfluxDB.Client uses (no InfluxDB 2.x/3.x server can be installed here).
/// </summary>
public sealed class InfluxVersion2WiringTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "pvmon-v2-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task With_version_2_results_go_through_InfluxDB_Client_to_the_bucket_and_reads_are_flux_queries()
    {
        await using var server = new InfluxV2StandIn(org: "plant-org", bucket: "pv", token: "tok");
        var configuration = ServiceConfiguration.Build(null, [
            $"Influx:Url={server.Url}", "Influx:Org=plant-org", "Influx:Bucket=pv", "Influx:Token=tok", "Influx:FlushIntervalMs=10",
            $"Data:Path={_data}",
        ]);
        await using var services = WorkerServices.For(configuration);
        services.ValidateOnStart();
        services.Options<PvMonitor.Monitoring.Storage.Influx.InfluxOptions>().Version.Should().Be(2, "version 2 is the default for new configurations");

        {
            var components = services.GetRequiredService<ResultStorage>();
            components.Description.Should().Be($"InfluxDB API v2 at {server.Url} (bucket pv)");
            var batch = new ResultBatch();
            var key = new StringKey("p1", "inv1", "s1");
            batch.Telemetry.Add(new TelemetryRecord(key, new TelemetrySample(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero), 8, 600, 800, 20, 40, 2)));
            batch.Conditions.Add(ConditionRecord.ForNight(key, new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero), "v1"));
            await components.Store.WriteAsync(batch).AsTask().WaitAsync(TimeSpan.FromSeconds(20));

            server.Stored.Should().HaveCount(2);
            server.Stored[0].Should().StartWith("pv_telemetry,inverter=inv1,plant=p1,string=s1 ");
            var write = server.Requests.First(r => r.PathAndQuery.StartsWith("/api/v2/write", StringComparison.Ordinal));
            write.PathAndQuery.Should().Contain("org=plant-org").And.Contain("bucket=pv").And.Contain("precision=ms");
            write.Headers["Authorization"].Should().Be("Token tok");

            var latest = await components.Reader.GetLatestAsync();
            latest.Should().BeEmpty("the stand-in's Flux answer has no tables (it records the query; it has no Flux engine)");
            server.Queries.Should().ContainSingle().Which.Should().Contain("from(bucket: \"pv\")");
        }
    }
}
