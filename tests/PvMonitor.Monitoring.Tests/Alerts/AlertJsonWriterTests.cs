using System.Text;
using System.Text.Json;
using PvMonitor.Monitoring.Alerts;

namespace PvMonitor.Monitoring.Tests.Alerts;

public class AlertJsonWriterTests
{
    internal static readonly AlertEvent Sample = new(
        "plantA", "inv1", ["s01", "s02"], AlertKind.FaultEntered, false, "PS7", 0.875, -12.25,
        new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero), null, new DateTimeOffset(2026, 6, 1, 10, 4, 0, TimeSpan.FromHours(2)),
        "sdgm-2026.06.1", "http://127.0.0.1:5080/?plant=plantA&inverter=inv1&strings=s01%2Cs02&from=2026-06-01T08%3A00%3A00.000Z");

    internal const string GoldenBody =
        """{"kind":"fault_entered","repeat":false,"plant":"plantA","inverter":"inv1","string":"s01,s02","strings":["s01","s02"],"condition":"PS7","confidence":0.875,"elbo":-12.25,"sensors":[],"from":"2026-06-01T08:00:00.000Z","to":null,"time":"2026-06-01T08:04:00.000Z","model_version":"sdgm-2026.06.1","link":"http://127.0.0.1:5080/?plant=plantA&inverter=inv1&strings=s01%2Cs02&from=2026-06-01T08%3A00%3A00.000Z"}""";

    // HMAC-SHA256(key "s3cret", GoldenBody) computed independently with Python's hmac module.
    internal const string GoldenSignature = "sha256=c3de2f173d07cdcd314494af3a6921acda3708486aca8a31323259ca03d9f485";

    [Fact]
    public void Body_matches_the_golden_text()
    {
        Encoding.UTF8.GetString(AlertJsonWriter.ToUtf8Bytes(Sample)).Should().Be(GoldenBody);
    }

    [Fact]
    public void Signature_of_the_golden_body_matches_an_independent_hmac()
    {
        var body = AlertJsonWriter.ToUtf8Bytes(Sample);
        WebhookSignature.Compute("s3cret", body).Should().Be(GoldenSignature);
        WebhookSignature.Verify("s3cret", body, GoldenSignature).Should().BeTrue();
        WebhookSignature.Verify("other", body, GoldenSignature).Should().BeFalse();
        WebhookSignature.Verify("s3cret", body.Append((byte)' ').ToArray(), GoldenSignature).Should().BeFalse();
        WebhookSignature.Verify("s3cret", body, null).Should().BeFalse();
    }

    [Fact]
    public void Signature_matches_the_rfc_style_reference_vector() =>
        WebhookSignature.Compute("key", "The quick brown fox jumps over the lazy dog"u8)
            .Should().Be("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");

    [Fact]
    public void Cleared_events_carry_to_and_non_finite_numbers_become_null()
    {
        var cleared = Sample with
        {
            Kind = AlertKind.AnomalyClosed,
            IsRepeat = true,
            Condition = null,
            Elbo = double.NaN,
            Strings = ["s01"],
            To = new DateTimeOffset(2026, 6, 1, 9, 30, 0, 500, TimeSpan.Zero),
        };

        using var doc = JsonDocument.Parse(AlertJsonWriter.ToUtf8Bytes(cleared));
        var root = doc.RootElement;
        root.GetProperty("kind").GetString().Should().Be("anomaly_closed");
        root.GetProperty("repeat").GetBoolean().Should().BeTrue();
        root.GetProperty("string").GetString().Should().Be("s01");
        root.GetProperty("condition").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("elbo").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("to").GetString().Should().Be("2026-06-01T09:30:00.500Z");
        root.EnumerateObject().Select(p => p.Name).Should().Equal(
            "kind", "repeat", "plant", "inverter", "string", "strings", "condition", "confidence", "elbo", "sensors", "from", "to", "time", "model_version", "link");
        root.GetProperty("sensors").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public void Anomaly_alerts_list_the_sensors_that_look_wrong()
    {
        var opened = Sample with { Kind = AlertKind.AnomalyOpened, Sensors = [new("V", -7.25), new("I", 3.5)] };

        var text = Encoding.UTF8.GetString(AlertJsonWriter.ToUtf8Bytes(opened));

        text.Should().Contain("\"elbo\":-12.25,\"sensors\":[{\"sensor\":\"V\",\"z\":-7.25},{\"sensor\":\"I\",\"z\":3.5}],\"from\":");
    }

    [Fact]
    public void Wire_names_round_trip()
    {
        foreach (var kind in Enum.GetValues<AlertKind>())
            AlertKindExtensions.ParseWireName(kind.ToWireName()).Should().Be(kind);
        var act = () => AlertKindExtensions.ParseWireName("fault");
        act.Should().Throw<FormatException>().WithMessage("*'fault'*");
    }
}
