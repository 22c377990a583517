using System.Buffers;
using Microsoft.Extensions.Time.Testing;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Ingest;
using static PvMonitor.Monitoring.Tests.Ingest.PayloadBuilder;

namespace PvMonitor.Monitoring.Tests.Ingest;

public class TelemetryPayloadParserTests
{
    private static TelemetryPayloadParser Parser(Action<IngestOptions>? configure = null)
    {
        var options = new IngestOptions();
        configure?.Invoke(options);
        return new TelemetryPayloadParser(options, new FakeTimeProvider(Now));
    }

    [Fact]
    public void Valid_payload_gives_key_and_every_field()
    {
        var result = Parser().Parse(Topic, Build());

        result.IsValid.Should().BeTrue(result.Message);
        result.Reason.Should().Be(DeadLetterReason.None);
        result.Key.Should().Be(new StringKey("plantA", "inv1", "s01"));
        result.Sample.Should().Be(new TelemetrySample(new DateTimeOffset(2026, 6, 1, 11, 59, 0, TimeSpan.Zero), 8.5, 610.25, 850, 21.5, 45.125, 3.5));
        result.IsNight.Should().BeFalse();
        result.Message.Should().BeNull();
    }

    [Fact]
    public void Epoch_milliseconds_are_accepted()
    {
        var ms = new DateTimeOffset(2026, 6, 1, 11, 58, 30, 250, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var result = Parser().Parse(Topic, Build(("time", ms.ToString())));

        result.IsValid.Should().BeTrue(result.Message);
        result.Sample.Time.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(ms));
    }

    [Fact]
    public void Iso_time_without_offset_is_utc_and_offsets_are_converted()
    {
        var parser = Parser();
        parser.Parse(Topic, Build(("time", "\"2026-06-01T11:59:00\""))).Sample.Time
            .Should().Be(new DateTimeOffset(2026, 6, 1, 11, 59, 0, TimeSpan.Zero));
        var shifted = parser.Parse(Topic, Build(("time", "\"2026-06-01T13:59:00+02:00\""))).Sample.Time;
        shifted.Should().Be(new DateTimeOffset(2026, 6, 1, 11, 59, 0, TimeSpan.Zero));
        shifted.Offset.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Field_order_does_not_matter_and_whitespace_is_fine()
    {
        var payload = Raw("""
            { "W": 3.5, "TMod": 45.125, "TExt": 21.5, "G": 850, "V": 610.25, "I": 8.5, "time": "2026-06-01T11:59:00Z" }
            """);
        Parser().Parse(Topic, payload).Sample.Should().Be(Parser().Parse(Topic, Build()).Sample);
    }

    [Fact]
    public void Configured_field_names_and_topic_pattern_are_used()
    {
        var parser = Parser(o =>
        {
            o.TopicPattern = "site/{inverter}/{plant}/x/{string}";
            o.Fields = new PayloadFieldNames { Time = "ts", I = "current", V = "voltage", G = "irr", TExt = "t_amb", TMod = "t_mod", W = "wind" };
        });
        var payload = Raw("""{"ts":1780315140000,"current":1,"voltage":2,"irr":300,"t_amb":4,"t_mod":5,"wind":6}""");

        var result = parser.Parse("site/inv9/p1/x/s7", payload);

        result.IsValid.Should().BeTrue(result.Message);
        result.Key.Should().Be(new StringKey("p1", "inv9", "s7"));
        result.Sample.I.Should().Be(1);
        result.Sample.W.Should().Be(6);
        parser.Topic.SubscriptionFilter.Should().Be("site/+/+/x/+");
        parser.Parse(Topic, Build()).Reason.Should().Be(DeadLetterReason.TopicMismatch);
    }

    [Theory]
    [InlineData("pv/plantA/inv1/telemetry")]
    [InlineData("pv/plantA/inv1/s01/s02/telemetry")]
    [InlineData("xx/plantA/inv1/s01/telemetry")]
    [InlineData("pv/plantA//s01/telemetry")]
    [InlineData("pv/plantA/inv1/s01/status")]
    [InlineData("pv/plantA/inv1/s01/telemetry/")]
    [InlineData("")]
    public void Topics_not_matching_are_rejected(string topic)
    {
        var result = Parser().Parse(topic, Build());

        result.Reason.Should().Be(DeadLetterReason.TopicMismatch);
        result.Message.Should().Contain("pv/+/+/+/telemetry");
    }

    [Fact]
    public void Payload_larger_than_the_limit_is_rejected()
    {
        var result = Parser(o => o.MaxPayloadBytes = 64).Parse(Topic, Build());

        result.Reason.Should().Be(DeadLetterReason.PayloadTooLarge);
        result.Message.Should().Contain("Ingest:MaxPayloadBytes");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"time\":\"2026-06-01T11:59:00Z\",\"I\":8.5,")]
    [InlineData("[1,2,3]")]
    [InlineData("42")]
    [InlineData("not json")]
    [InlineData("{\"I\":NaN}")]
    [InlineData("{} {}")]
    [InlineData("{\"I\":1,}")]
    public void Malformed_json_is_rejected(string text)
    {
        var result = Parser().Parse(Topic, Raw(text));

        result.Reason.Should().Be(DeadLetterReason.MalformedJson, text);
        result.Field.Should().BeNull();
        result.Message.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void A_syntax_error_late_in_the_payload_wins_over_an_earlier_field_problem()
    {
        var result = Parser().Parse(Topic, Raw("""{"I":"eight", "V": 1, """));
        result.Reason.Should().Be(DeadLetterReason.MalformedJson);
    }

    [Theory]
    [InlineData("time")]
    [InlineData("I")]
    [InlineData("V")]
    [InlineData("G")]
    [InlineData("TExt")]
    [InlineData("TMod")]
    [InlineData("W")]
    public void Each_missing_field_is_named(string field)
    {
        var result = Parser().Parse(Topic, Build((field, null)));

        result.Reason.Should().Be(DeadLetterReason.MissingField);
        result.Field.Should().Be(field);
        result.Message.Should().Be($"Field '{field}' is missing.");
    }

    [Fact]
    public void Unknown_field_is_rejected_unless_allowed()
    {
        var payload = Build(("humidity", "{\"rel\":[1,2,{\"x\":3}]}"));

        var strict = Parser().Parse(Topic, payload);
        strict.Reason.Should().Be(DeadLetterReason.UnknownField);
        strict.Field.Should().Be("humidity");
        strict.Message.Should().Contain("'humidity'");

        var lenient = Parser(o => o.AllowUnknownFields = true).Parse(Topic, payload);
        lenient.IsValid.Should().BeTrue(lenient.Message);
        lenient.Sample.G.Should().Be(850);
    }

    [Fact]
    public void Field_names_are_case_sensitive()
    {
        var result = Parser().Parse(Topic, Build(("g", "850")));
        result.Reason.Should().Be(DeadLetterReason.UnknownField);
        result.Field.Should().Be("g");
    }

    [Fact]
    public void Duplicate_field_is_rejected()
    {
        var result = Parser().Parse(Topic, Raw("""{"time":"2026-06-01T11:59:00Z","I":1,"V":2,"G":300,"TExt":4,"TMod":5,"W":6,"G":301}"""));

        result.Reason.Should().Be(DeadLetterReason.DuplicateField);
        result.Field.Should().Be("G");
    }

    [Theory]
    [InlineData("I", "\"8.5\"")]
    [InlineData("V", "null")]
    [InlineData("G", "true")]
    [InlineData("TExt", "{\"v\":1}")]
    [InlineData("TMod", "[45]")]
    [InlineData("W", "\"fast\"")]
    [InlineData("time", "true")]
    [InlineData("time", "null")]
    [InlineData("time", "[2026]")]
    public void Wrong_types_are_rejected_naming_the_field(string field, string json)
    {
        var result = Parser().Parse(Topic, Build((field, json)));

        result.Reason.Should().Be(DeadLetterReason.WrongType);
        result.Field.Should().Be(field);
        result.Message.Should().StartWith($"Field '{field}' is ");
    }

    [Theory]
    [InlineData("G", "\"NaN\"")]
    [InlineData("I", "\"Infinity\"")]
    [InlineData("V", "\"-Infinity\"")]
    [InlineData("TMod", "\"nan\"")]
    [InlineData("W", "1e400")]
    [InlineData("TExt", "-1e999")]
    public void Non_finite_values_are_rejected(string field, string json)
    {
        var result = Parser().Parse(Topic, Build((field, json)));

        result.Reason.Should().Be(DeadLetterReason.NotFinite);
        result.Field.Should().Be(field);
        result.Message.Should().Contain($"'{field}'");
    }

    [Theory]
    [InlineData("G", "-10.5")]
    [InlineData("G", "1600.1")]
    [InlineData("V", "-0.1")]
    [InlineData("V", "1500.5")]
    [InlineData("I", "-1.5")]
    [InlineData("I", "31")]
    [InlineData("TMod", "-50.1")]
    [InlineData("TMod", "100.1")]
    [InlineData("TExt", "-51")]
    [InlineData("TExt", "60.5")]
    [InlineData("W", "-0.01")]
    [InlineData("W", "75.1")]
    public void Physically_impossible_values_are_rejected(string field, string json)
    {
        var result = Parser().Parse(Topic, Build((field, json)));

        result.Reason.Should().Be(DeadLetterReason.OutOfRange);
        result.Field.Should().Be(field);
        result.Message.Should().StartWith($"Field '{field}' = {json} ").And.Contain("physically possible range");
    }

    [Theory]
    [InlineData("G", "-10")]
    [InlineData("G", "1600")]
    [InlineData("V", "0")]
    [InlineData("I", "-1")]
    [InlineData("TMod", "100")]
    [InlineData("TExt", "60")]
    [InlineData("W", "75")]
    public void Limits_are_inclusive(string field, string json) =>
        Parser().Parse(Topic, Build((field, json))).IsValid.Should().BeTrue();

    [Fact]
    public void Configured_limits_apply()
    {
        var parser = Parser(o => o.Limits.VMax = 600);
        var result = parser.Parse(Topic, Build());
        result.Reason.Should().Be(DeadLetterReason.OutOfRange);
        result.Field.Should().Be("V");
        result.Message.Should().Contain("[0, 600]");
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("\"2026-13-01T00:00:00Z\"")]
    [InlineData("\"NaN\"")]
    [InlineData("1e20")]
    [InlineData("-1e20")]
    public void Unreadable_timestamps_are_rejected(string json)
    {
        var result = Parser().Parse(Topic, Build(("time", json)));

        result.Reason.Should().Be(DeadLetterReason.InvalidTimestamp);
        result.Field.Should().Be("time");
    }

    [Fact]
    public void Timestamps_too_far_in_the_future_are_rejected()
    {
        var parser = Parser();
        parser.Parse(Topic, Build(("time", "\"2026-06-01T12:05:00Z\""))).IsValid.Should().BeTrue("exactly 5 minutes ahead is allowed");
        var result = parser.Parse(Topic, Build(("time", "\"2026-06-01T12:05:01Z\"")));
        result.Reason.Should().Be(DeadLetterReason.TimestampInFuture);
        result.Field.Should().Be("time");

        Parser(o => o.MaxFutureSkew = null).Parse(Topic, Build(("time", "\"2030-01-01T00:00:00Z\""))).IsValid.Should().BeTrue();
    }

    [Fact]
    public void Timestamps_too_old_are_rejected_only_when_a_max_age_is_set()
    {
        var old = Build(("time", "\"2020-01-01T00:00:00Z\""));
        Parser().Parse(Topic, old).IsValid.Should().BeTrue();

        var result = Parser(o => o.MaxAge = TimeSpan.FromDays(7)).Parse(Topic, old);
        result.Reason.Should().Be(DeadLetterReason.TimestampTooOld);
        result.Field.Should().Be("time");
    }

    [Theory]
    [InlineData("19.99", true)]
    [InlineData("0", true)]
    [InlineData("-5", true)]
    [InlineData("20", false)]
    [InlineData("900", false)]
    public void Low_irradiance_is_night(string g, bool night)
    {
        var result = Parser().Parse(Topic, Build(("G", g)));
        result.IsValid.Should().BeTrue();
        result.IsNight.Should().Be(night);
    }

    [Fact]
    public void Night_threshold_is_configurable()
    {
        Parser(o => o.NightIrradianceThreshold = 100).Parse(Topic, Build(("G", "99"))).IsNight.Should().BeTrue();
    }

    [Fact]
    public void Multi_segment_sequences_parse_like_spans()
    {
        var bytes = Build();
        var first = new Segment(bytes.AsMemory(0, 10));
        var last = first.Append(bytes.AsMemory(10));
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);

        var result = Parser().Parse(Topic, sequence);

        result.IsValid.Should().BeTrue(result.Message);
        result.Sample.Should().Be(Parser().Parse(Topic, bytes).Sample);
    }

    [Fact]
    public void Valid_messages_of_a_known_topic_allocate_nothing()
    {
        var parser = Parser();
        var payload = Build();
        var epoch = Build(("time", "1780315140000"));
        parser.Parse(Topic, payload);
        parser.Parse(Topic, epoch);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = 0.0;
        for (var k = 0; k < 1000; k++)
        {
            sum += parser.Parse(Topic, payload).Sample.G;
            sum += parser.Parse(Topic, epoch).Sample.G;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        sum.Should().Be(2000 * 850);
        allocated.Should().Be(0);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
