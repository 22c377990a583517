using static PvMonitor.Mqtt.Formatting.MqttPropertyId;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>Which properties each packet may carry (spec 2.2.2.2), as bit masks over the property id.</summary>
internal static class MqttPropertySets
{
    public static readonly ulong Connect = Mask(SessionExpiryInterval, ReceiveMaximum, MaximumPacketSize, TopicAliasMaximum,
        RequestResponseInformation, RequestProblemInformation, UserProperty, AuthenticationMethod, AuthenticationData);

    public static readonly ulong Will = Mask(WillDelayInterval, PayloadFormatIndicator, MessageExpiryInterval, ContentType,
        ResponseTopic, CorrelationData, UserProperty);

    public static readonly ulong ConnAck = Mask(SessionExpiryInterval, ReceiveMaximum, MaximumQoS, RetainAvailable,
        MaximumPacketSize, AssignedClientIdentifier, TopicAliasMaximum, ReasonString, UserProperty, WildcardSubscriptionAvailable,
        SubscriptionIdentifierAvailable, SharedSubscriptionAvailable, ServerKeepAlive, ResponseInformation, ServerReference,
        AuthenticationMethod, AuthenticationData);

    public static readonly ulong Publish = Mask(PayloadFormatIndicator, MessageExpiryInterval, TopicAlias, ResponseTopic,
        CorrelationData, UserProperty, SubscriptionIdentifier, ContentType);

    public static readonly ulong Ack = Mask(ReasonString, UserProperty);

    public static readonly ulong Subscribe = Mask(SubscriptionIdentifier, UserProperty);

    public static readonly ulong Unsubscribe = Mask(UserProperty);

    public static readonly ulong Disconnect = Mask(SessionExpiryInterval, ReasonString, UserProperty, ServerReference);

    private static ulong Mask(params MqttPropertyId[] ids)
    {
        ulong mask = 0;
        foreach (var id in ids)
            mask |= 1UL << (int)id;
        return mask;
    }
}
