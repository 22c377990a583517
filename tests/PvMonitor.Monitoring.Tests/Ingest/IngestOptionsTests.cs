using PvMonitor.Monitoring.Ingest;

namespace PvMonitor.Monitoring.Tests.Ingest;

public class IngestOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_documented_values()
    {
        var o = new IngestOptions();
        o.Validate().Should().BeEmpty();
        o.TopicPattern.Should().Be("pv/+/+/+/telemetry");
        o.NightIrradianceThreshold.Should().Be(20);
        o.MaxFutureSkew.Should().Be(TimeSpan.FromMinutes(5));
        o.MaxAge.Should().BeNull();
        o.Limits.GMin.Should().Be(-10);
        o.Limits.GMax.Should().Be(1600);
        o.Limits.TModMin.Should().Be(-50);
        IngestOptions.SectionName.Should().Be("Ingest");
    }

    [Fact]
    public void Every_problem_names_its_key()
    {
        var o = new IngestOptions
        {
            TopicPattern = "pv/+/telemetry",
            NightIrradianceThreshold = -1,
            MaxPayloadBytes = 1,
            MaxFutureSkew = TimeSpan.FromSeconds(-1),
            MaxAge = TimeSpan.Zero,
            DuplicateWindowPerString = 0,
            DuplicateMaxStrings = 0,
            Fields = new PayloadFieldNames { G = "", W = "I" },
            Limits = new SensorLimits { GMin = 10, GMax = 5, VMax = double.NaN },
        };

        var errors = o.Validate();

        errors.Should().Contain(e => e.StartsWith("Ingest:TopicPattern "));
        errors.Should().Contain("Ingest:NightIrradianceThreshold must be ≥ 0 (got -1).");
        errors.Should().Contain(e => e.StartsWith("Ingest:MaxPayloadBytes "));
        errors.Should().Contain(e => e.StartsWith("Ingest:MaxFutureSkew "));
        errors.Should().Contain(e => e.StartsWith("Ingest:MaxAge "));
        errors.Should().Contain(e => e.StartsWith("Ingest:DuplicateWindowPerString "));
        errors.Should().Contain(e => e.StartsWith("Ingest:DuplicateMaxStrings "));
        errors.Should().Contain("Ingest:Fields:G must not be empty.");
        errors.Should().Contain(e => e.StartsWith("Ingest:Fields:W ('I') is the same name as Ingest:Fields:I"));
        errors.Should().Contain("Ingest:Limits:GMin (10) must be ≤ Ingest:Limits:GMax (5).");
        errors.Should().Contain(e => e.StartsWith("Ingest:Limits:VMax must be a finite number"));
        errors.Should().HaveCount(11);

        var act = () => new TelemetryPayloadParser(o);
        act.Should().Throw<ArgumentException>().WithMessage("*Ingest:NightIrradianceThreshold*");
    }

    [Fact]
    public void Every_reason_has_a_distinct_snake_case_label()
    {
        var labels = DeadLetterReasonExtensions.All.Select(r => r.ToLabel()).ToList();
        labels.Should().OnlyHaveUniqueItems();
        labels.Should().AllSatisfy(l => l.Should().MatchRegex("^[a-z]+(_[a-z]+)*$"));
        labels.Should().HaveCount(Enum.GetValues<DeadLetterReason>().Length - 1);
    }
}
