using PvMonitor.Monitoring.Storage.Influx;

namespace PvMonitor.Monitoring.Tests.Storage.Influx;

public class InfluxOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_documented_values()
    {
        var o = new InfluxOptions { Org = "o", Bucket = "b", Token = "t" };
        o.Validate().Should().BeEmpty();
        o.BatchSize.Should().Be(5_000);
        o.FlushIntervalMs.Should().Be(1_000);
        o.Version.Should().Be(2, "new configurations use the v2 API through InfluxDB.Client");
        o.Gzip.Should().BeFalse();
        o.SpoolMaxBytes.Should().Be(1L << 30);
        InfluxOptions.SectionName.Should().Be("Influx");
    }

    [Fact]
    public void Every_message_names_its_key()
    {
        var o = new InfluxOptions
        {
            Url = "ftp://x", Version = 1, Database = "", Username = "u", BatchSize = 0, FlushIntervalMs = 0, MaxPendingBatches = 0,
            RequestTimeoutMs = 1, MaxRetries = -1, RetryBaseDelayMs = 0, ShutdownTimeoutMs = -1, SpoolMaxBytes = 10, SpoolSegmentBytes = 10,
        };
        var errors = o.Validate();
        foreach (var key in new[] { "Url", "Database", "Username", "BatchSize", "FlushIntervalMs", "MaxPendingBatches", "RequestTimeoutMs",
                     "MaxRetries", "RetryBaseDelayMs", "ShutdownTimeoutMs", "SpoolMaxBytes", "SpoolSegmentBytes" })
            errors.Should().Contain(e => e.StartsWith("Influx:" + key), key);
    }

    [Fact]
    public void Version_2_needs_org_bucket_and_token()
    {
        var errors = new InfluxOptions { Version = 2 }.Validate();
        errors.Should().Contain(e => e.StartsWith("Influx:Org")).And.Contain(e => e.StartsWith("Influx:Bucket")).And.Contain(e => e.StartsWith("Influx:Token"));
        new InfluxOptions { Version = 2, Org = "o", Bucket = "b", Token = "t" }.Validate().Should().BeEmpty();
        new InfluxOptions { Version = 3 }.Validate().Should().ContainSingle(e => e.StartsWith("Influx:Version"));
    }

    [Fact]
    public void EnsureValid_throws_with_all_messages()
    {
        var act = () => new InfluxOptions { Version = 1, BatchSize = 0, FlushIntervalMs = 0 }.EnsureValid();
        act.Should().Throw<ArgumentException>().WithMessage("*Influx:BatchSize*Influx:FlushIntervalMs*");
    }

    [Fact]
    public void Spool_limits_are_not_checked_when_the_spool_is_off()
    {
        new InfluxOptions { Version = 1, SpoolPath = "", SpoolMaxBytes = 0 }.Validate().Should().BeEmpty();
    }
}
