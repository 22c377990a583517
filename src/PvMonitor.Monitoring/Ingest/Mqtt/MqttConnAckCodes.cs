using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace PvMonitor.Monitoring.Ingest.Mqtt;

/// <summary>Turns a CONNACK into success or a <see cref="MqttConnectRefusedException"/> (3.1.1 return codes and MQTT 5 reason codes).</summary>
internal static class MqttConnAckCodes
{
    public static MqttConnectRefusedException? Refusal(MqttConnAckPacket ack, bool mqtt5)
    {
        if (mqtt5)
        {
            if (ack.ReasonCode == MqttConnectReasonCode.Success) return null;
            var configuration = ack.ReasonCode is MqttConnectReasonCode.UnsupportedProtocolVersion or MqttConnectReasonCode.ClientIdentifierNotValid
                or MqttConnectReasonCode.BadUserNameOrPassword or MqttConnectReasonCode.NotAuthorized or MqttConnectReasonCode.Banned
                or MqttConnectReasonCode.BadAuthenticationMethod;
            return new MqttConnectRefusedException((int)ack.ReasonCode, ack.ReasonCode.ToString(), configuration);
        }

        return ack.ReturnCode switch
        {
            MqttConnectReturnCode.ConnectionAccepted => null,
            MqttConnectReturnCode.ConnectionRefusedUnacceptableProtocolVersion => new((int)ack.ReturnCode, "UnacceptableProtocolVersion", true),
            MqttConnectReturnCode.ConnectionRefusedIdentifierRejected => new((int)ack.ReturnCode, "IdentifierRejected", true),
            MqttConnectReturnCode.ConnectionRefusedServerUnavailable => new((int)ack.ReturnCode, "ServerUnavailable", false),
            MqttConnectReturnCode.ConnectionRefusedBadUsernameOrPassword => new((int)ack.ReturnCode, "BadUserNameOrPassword", true),
            MqttConnectReturnCode.ConnectionRefusedNotAuthorized => new((int)ack.ReturnCode, "NotAuthorized", true),
            _ => new((int)ack.ReturnCode, "Unknown", false),
        };
    }
}
