using System.Text;
using Microsoft.Extensions.Time.Testing;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Storage;
using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Monitoring.Storage.Influx.Query;
using PvMonitor.Monitoring.Tests.Pipeline;
using PvMonitor.Testing;

namespace PvMonitor.Monitoring.Tests.Storage.Influx;

/// <summary>
/// <see cref="InfluxResultReader.ForVersion2"/>: the operator page's reads as Flux through InfluxDB.Client's query API, against
/// <see cref="InfluxV2StandIn"/> — a stand-in that records the Flux text and answers with annotated CSV written here (no
/// InfluxDB 2.x/3.x server, so no real Flux engine, can be installed on this machine). These check the queries' shape and the
/// mapping of the client's tables back to records, not the Flux semantics.
/// </summary>
public sealed class FluxResultReaderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly StringKey Odd = new("O'Brien \"farm\"", "inv 1,a=b", "s1 \\x ${y}");

    private static InfluxOptions Options(InfluxV2StandIn server, string? token = null) => new()
    {
        Url = server.Url,
        Version = 2,
        Org = server.Org,
        Bucket = server.Bucket,
        Token = token ?? server.Token,
        RequestTimeoutMs = 20_000,
    };

    /// <summary>One table block of annotated CSV, as InfluxDB 2.x writes it: datatype, group, default annotations, header, rows.</summary>
    private static string Table(string result, string[] columns, string[] types, bool[] group, params string[][] rows)
    {
        var sb = new StringBuilder();
        sb.Append("#datatype,string,long,").Append(string.Join(',', types)).Append("\r\n");
        sb.Append("#group,false,false,").Append(string.Join(',', group.Select(g => g ? "true" : "false"))).Append("\r\n");
        sb.Append("#default,").Append(result).Append(",,").Append(string.Join(',', columns.Select(_ => ""))).Append("\r\n");
        sb.Append(",result,table,").Append(string.Join(',', columns)).Append("\r\n");
        foreach (var row in rows)
            sb.Append(",,").Append(string.Join(',', row.Select(Csv))).Append("\r\n");
        return sb.Append("\r\n").ToString();
    }

    private static string Csv(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [Fact]
    public async Task Condition_history_is_one_flux_query_with_escaped_tags_and_the_range_and_maps_pivoted_rows_back()
    {
        await using var server = new InfluxV2StandIn();
        string[] columns = ["_start", "_stop", "_time", "_measurement", "inverter", "model_version", "plant", "string", "anomaly", "condition", "confidence", "elbo", "night", "p_N", "p_PS7", "z_I", "z_V"];
        string[] types = ["dateTime:RFC3339", "dateTime:RFC3339", "dateTime:RFC3339", "string", "string", "string", "string", "string", "boolean", "string", "double", "double", "boolean", "double", "double", "double", "double"];
        var group = columns.Select(_ => false).ToArray();
        server.QueryAnswer = Table("_result", columns, types, group,
            ["0", "2026-06-01T08:00:00Z", "2026-06-01T09:00:00Z", "2026-06-01T08:01:00Z", "pv_condition", "inv 1,a=b", "v1", "O'Brien \"farm\"", "s1 \\x ${y}", "false", "PS7", "0.75", "-12.5", "false", "0.25", "0.75", "", ""],
            ["0", "2026-06-01T08:00:00Z", "2026-06-01T09:00:00Z", "2026-06-01T08:02:00.250Z", "pv_condition", "inv 1,a=b", "v1", "O'Brien \"farm\"", "s1 \\x ${y}", "true", "N", "0.5", "-40", "false", "0.5", "0.5", "3.5", "-7.25"]);
        using var reader = InfluxResultReader.ForVersion2(Options(server));

        var rows = await reader.GetConditionHistoryAsync(Odd, T0, T0.AddHours(1));

        var flux = server.Queries.Should().ContainSingle().Subject;
        flux.Should().Contain("from(bucket: \"pv-bucket\")")
            .And.Contain("range(start: 2026-06-01T08:00:00.000Z, stop: 2026-06-01T09:00:00.000Z)")
            .And.Contain("r._measurement == \"pv_condition\"")
            .And.Contain("r.plant == \"O'Brien \\\"farm\\\"\"")
            .And.Contain("r.string == \"s1 \\\\x \\${y}\"")
            .And.Contain("pivot(rowKey: [\"_time\"], columnKey: [\"_field\"], valueColumn: \"_value\")")
            .And.Contain("limit(n: 10000)");
        var request = server.Requests.Single();
        request.PathAndQuery.Should().StartWith("/api/v2/query?").And.Contain("org=pv-org");
        request.Headers["Authorization"].Should().Be("Token pv-token");

        rows.Should().HaveCount(2);
        rows[0].Should().Match<ConditionRecord>(r => r.Key == Odd && r.Time == T0.AddMinutes(1) && r.Condition == "PS7" && r.ModelVersion == "v1"
                                                     && r.Confidence == 0.75 && r.Elbo == -12.5 && !r.Anomaly && !r.Night && r.Features == null);
        rows[0].ClassCodes.Should().Equal("N", "PS7");
        rows[0].Probabilities.ToArray().Should().Equal(0.25, 0.75);
        rows[1].Time.Should().Be(T0.AddMinutes(2).AddMilliseconds(250));
        rows[1].Anomaly.Should().BeTrue();
        rows[1].Features.Should().Equal("I", "V");
        rows[1].ReconstructionZ.ToArray().Should().Equal(3.5f, -7.25f);
    }

    [Fact]
    public async Task Latest_reads_one_row_per_string_group_and_sorts_by_key()
    {
        await using var server = new InfluxV2StandIn();
        string[] columns = ["_time", "inverter", "model_version", "plant", "string", "anomaly", "condition", "confidence", "elbo", "night"];
        string[] types = ["dateTime:RFC3339", "string", "string", "string", "string", "boolean", "string", "double", "double", "boolean"];
        bool[] group = [false, true, false, true, true, false, false, false, false, false];
        server.QueryAnswer = Table("_result", columns, types, group,
            ["0", "2026-06-01T08:09:00Z", "inv1", "v1", "p2", "s1", "false", "night", "", "", "true"],
            ["1", "2026-06-01T08:08:00Z", "inv1", "v1", "p1", "s1", "true", "N", "0.9", "-41", "false"]);
        using var reader = InfluxResultReader.ForVersion2(Options(server));

        var latest = await reader.GetLatestAsync();

        latest.Select(l => l.Key).Should().Equal(new StringKey("p1", "inv1", "s1"), new StringKey("p2", "inv1", "s1"));
        latest[0].Should().Match<StringStatus>(s => s.Condition == "N" && s.Anomaly && s.Elbo == -41 && s.Time == T0.AddMinutes(8));
        latest[1].Should().Match<StringStatus>(s => s.Condition == "night" && s.Night && double.IsNaN(s.Confidence));
        server.Queries.Single().Should().Contain("group(columns: [\"plant\", \"inverter\", \"string\"])").And.Contain("last(column: \"_time\")");
    }

    [Fact]
    public async Task Counts_come_back_from_four_named_yields_in_one_request()
    {
        await using var server = new InfluxV2StandIn();
        string[] tele = ["inverter", "plant", "string", "count"];
        string[] teleTypes = ["string", "string", "string", "long"];
        bool[] teleGroup = [true, true, true, false];
        string[] one = ["count"];
        string[] oneTypes = ["long"];
        bool[] oneGroup = [false];
        server.QueryAnswer =
            Table("pv_telemetry", tele, teleTypes, teleGroup, ["0", "inv1", "p1", "s1", "7"], ["1", "inv1", "p1", "s2", "5"]) +
            Table("pv_condition", one, oneTypes, oneGroup, ["0", "12"]) +
            Table("pv_alert", one, oneTypes, oneGroup, ["0", "2"]) +
            Table("pv_deadletter", one, oneTypes, oneGroup, ["0", "1"]);
        using var reader = InfluxResultReader.ForVersion2(Options(server));

        var counts = await reader.GetCountsAsync();

        counts.Should().Be(new StoreCounts(12, 12, 2, 1, 2));
        server.Queries.Single().Should().Contain("yield(name: \"pv_telemetry\")").And.Contain("yield(name: \"pv_deadletter\")");
    }

    [Fact]
    public async Task With_a_rejected_token_the_recent_results_cache_answers()
    {
        await using var server = new InfluxV2StandIn();
        var time = new FakeTimeProvider(T0);
        await using var cache = new RecentResultsCache(new RecordingStore());
        using var influx = InfluxResultReader.ForVersion2(Options(server, token: "revoked"));
        var reader = new FallbackResultReader(influx, cache, time, retryAfter: TimeSpan.Zero);
        var batch = new ResultBatch();
        batch.Telemetry.Add(new TelemetryRecord(Odd, new TelemetrySample(T0, 8, 600, 800, 20, 40, 2)));
        batch.Conditions.Add(ConditionRecord.ForNight(Odd, T0, "v1"));
        await cache.WriteAsync(batch);

        var latest = await reader.GetLatestAsync();

        latest.Should().ContainSingle().Which.Key.Should().Be(Odd);
        reader.UsingFallback.Should().BeTrue();
        server.Requests.Should().ContainSingle().Which.Headers["Authorization"].Should().Be("Token revoked");
    }

    [Fact]
    public void Flux_literals_escape_quotes_backslashes_interpolation_and_line_breaks_and_times_are_clamped()
    {
        FluxResultQueries.FluxString("O\"Brien \\ ${x} $y\n").Should().Be("\"O\\\"Brien \\\\ \\${x} $y\\n\"");
        FluxResultQueries.FluxTime(T0.AddMilliseconds(5)).Should().Be("2026-06-01T08:00:00.005Z");
        FluxResultQueries.FluxTime(DateTimeOffset.MinValue).Should().StartWith("1677-09-21T");
        FluxResultQueries.FluxTime(DateTimeOffset.MaxValue).Should().StartWith("2262-04-11T");
    }
}
