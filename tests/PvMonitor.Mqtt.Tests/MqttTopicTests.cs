namespace PvMonitor.Mqtt.Tests;

public class MqttTopicTests
{
    [Theory]
    [InlineData("pv/p1/i1/s1", true)]
    [InlineData("/", true)]
    [InlineData("pv/Ødegård", true)]
    [InlineData("", false)]
    [InlineData("pv/+", false)]
    [InlineData("pv/#", false)]
    [InlineData("a\0b", false)]
    public void Topic_names(string topic, bool valid) => MqttTopic.IsValidTopicName(topic).Should().Be(valid);

    [Fact]
    public void A_lone_surrogate_is_not_a_topic()
    {
        // Not as InlineData: attribute metadata stores strings as UTF-8 and would turn the surrogate into U+FFFD.
        MqttTopic.IsValidTopicName("pv/" + '\uD800').Should().BeFalse();
        MqttTopic.IsValidTopicFilter("pv/" + '\uDC00').Should().BeFalse();
    }

    [Theory]
    [InlineData("#", true)]
    [InlineData("pv/#", true)]
    [InlineData("pv/+/+/s1", true)]
    [InlineData("+", true)]
    [InlineData("$share/ingest/pv/#", true)]
    [InlineData("$SYS/#", true)]
    [InlineData("pv/#/x", false)]
    [InlineData("pv#", false)]
    [InlineData("pv/s+", false)]
    [InlineData("$share/g", false)]
    [InlineData("$share//pv/#", false)]
    [InlineData("$share/g#/pv", false)]
    [InlineData("$share/g/", false)]
    [InlineData("", false)]
    public void Topic_filters(string filter, bool valid) => MqttTopic.IsValidTopicFilter(filter).Should().Be(valid);
}
