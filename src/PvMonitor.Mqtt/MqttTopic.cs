using PvMonitor.Mqtt.Formatting;

namespace PvMonitor.Mqtt;

/// <summary>The MQTT rules for topic names (publish) and topic filters (subscribe), spec 4.7 and 4.8.2.</summary>
public static class MqttTopic
{
    /// <summary>A non-empty valid MQTT string without the wildcards <c>+</c> and <c>#</c>.</summary>
    public static bool IsValidTopicName(string? topic) =>
        !string.IsNullOrEmpty(topic) && topic.AsSpan().IndexOfAny('+', '#') < 0 && MqttUtf8.IsValid(topic);

    /// <summary>
    /// A non-empty valid MQTT string where <c>+</c> fills a whole level and <c>#</c> a whole, last level;
    /// a shared subscription <c>$share/{group}/{filter}</c> needs a group without wildcards or slashes and a valid filter.
    /// </summary>
    public static bool IsValidTopicFilter(string? filter)
    {
        if (string.IsNullOrEmpty(filter) || !MqttUtf8.IsValid(filter))
            return false;
        if (filter.StartsWith("$share/", StringComparison.Ordinal))
        {
            var rest = filter.AsSpan(7);
            var slash = rest.IndexOf('/');
            if (slash <= 0 || rest[..slash].IndexOfAny('+', '#') >= 0)
                return false;
            filter = rest[(slash + 1)..].ToString();
            if (filter.Length == 0)
                return false;
        }

        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#') && (level != "#" || i != levels.Length - 1))
                return false;
            if (level.Contains('+') && level != "+")
                return false;
        }

        return true;
    }
}
