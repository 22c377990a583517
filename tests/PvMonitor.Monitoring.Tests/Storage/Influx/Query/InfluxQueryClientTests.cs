using PvMonitor.Monitoring.Storage.Influx.Query;

namespace PvMonitor.Monitoring.Tests.Storage.Influx.Query;

public class InfluxQueryClientTests
{
    [Fact]
    public void Parses_series_tags_columns_and_typed_values()
    {
        const string json = """
            {"results":[{"statement_id":0,"series":[{"name":"pv","tags":{"plant":"p1"},"columns":["time","v","n","s","ok","none"],
             "values":[[1700000000000,1.5,42,"x",true,null],[1700000000001,2,7,"y",false,null]]}]}]}
            """;
        var series = InfluxQueryClient.Parse(json).Single();
        series.Name.Should().Be("pv");
        series.Tags.Should().Equal(new Dictionary<string, string> { ["plant"] = "p1" });
        series.ColumnIndex("s").Should().Be(3);
        series.Rows[0].Should().Equal(1_700_000_000_000L, 1.5, 42L, "x", true, null);
        series.Rows[1][1].Should().Be(2L, "InfluxDB's JSON writes the float 2.0 as 2");
    }

    [Fact]
    public void Statement_errors_become_exceptions_with_the_servers_message()
    {
        var act = () => InfluxQueryClient.Parse("""{"results":[{"statement_id":0,"error":"database not found: nope"}]}""");
        act.Should().Throw<InfluxQueryException>().WithMessage("database not found: nope");
        InfluxQueryClient.Parse("""{"results":[{"statement_id":0}]}""").Should().BeEmpty();
    }

    [Fact]
    public void Identifiers_are_quoted() =>
        InfluxQueryClient.QuoteIdentifier("a \"b\"\\c").Should().Be("\"a \\\"b\\\"\\\\c\"");
}
