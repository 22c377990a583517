using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Ingest;

namespace PvMonitor.Monitoring.Tests.Ingest;

public class TopicPatternTests
{
    [Theory]
    [InlineData("pv/+/+/+/telemetry", "pv/a/b/c/telemetry", "a", "b", "c")]
    [InlineData("pv/{plant}/{inverter}/{string}/telemetry", "pv/a/b/c/telemetry", "a", "b", "c")]
    [InlineData("{string}/{plant}/{inverter}", "c/a/b", "a", "b", "c")]
    [InlineData("pv/+/+/+/#", "pv/a/b/c/telemetry/raw", "a", "b", "c")]
    [InlineData("pv/{string}/+/+/+", "pv/c/a/b/anything", "a", "b", "c")]
    public void Captures_plant_inverter_and_string(string pattern, string topic, string plant, string inverter, string str)
    {
        var p = TopicPattern.Parse(pattern);
        p.TryMatch(topic, out var key).Should().BeTrue();
        key.Should().Be(new StringKey(plant, inverter, str));
        p.TryMatch(topic, out var cached).Should().BeTrue();
        cached.Should().Be(key);
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("pv/+/+/telemetry", "must capture plant, inverter and string")]
    [InlineData("pv/{plant}/{plant}/+/+", "captures {plant} twice")]
    [InlineData("pv/#/+/+/+", "invalid level '#'")]
    [InlineData("pv//+/+/+", "invalid level ''")]
    [InlineData("pv/a+b/+/+/+", "invalid level 'a+b'")]
    [InlineData("pv/{site}/+/+/+", "invalid level '{site}'")]
    public void Invalid_patterns_say_why(string pattern, string why)
    {
        TopicPattern.TryParse(pattern, out _, out var error).Should().BeFalse();
        error.Should().Contain(why);
        var act = () => TopicPattern.Parse(pattern);
        act.Should().Throw<FormatException>().WithMessage($"*{pattern}*");
    }

    [Fact]
    public void Subscription_filter_turns_captures_into_plus() =>
        TopicPattern.Parse("pv/{plant}/{inverter}/{string}/#").SubscriptionFilter.Should().Be("pv/+/+/+/#");
}
