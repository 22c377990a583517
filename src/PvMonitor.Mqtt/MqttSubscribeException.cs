namespace PvMonitor.Mqtt;

/// <summary>The broker refused one or more topic filters of a SUBSCRIBE (SUBACK code 0x80 or higher).</summary>
public sealed class MqttSubscribeException : MqttException
{
    public MqttSubscribeException(IReadOnlyList<MqttTopicFilter> filters, IReadOnlyList<MqttReasonCode> reasonCodes)
        : base(BuildMessage(filters, reasonCodes))
    {
        Filters = filters;
        ReasonCodes = reasonCodes;
    }

    /// <summary>The filters that were sent, in order.</summary>
    public IReadOnlyList<MqttTopicFilter> Filters { get; }

    /// <summary>The SUBACK code per filter, same order as <see cref="Filters"/>.</summary>
    public IReadOnlyList<MqttReasonCode> ReasonCodes { get; }

    private static string BuildMessage(IReadOnlyList<MqttTopicFilter> filters, IReadOnlyList<MqttReasonCode> codes)
    {
        var refused = new List<string>();
        for (var i = 0; i < filters.Count && i < codes.Count; i++)
        {
            if ((byte)codes[i] >= 0x80)
                refused.Add($"'{filters[i].Filter}': {codes[i]} (0x{(byte)codes[i]:X2})");
        }

        return "The broker refused the subscription: " + string.Join(", ", refused) + ".";
    }
}
