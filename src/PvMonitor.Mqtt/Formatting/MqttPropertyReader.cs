using System.Text;

namespace PvMonitor.Mqtt.Formatting;

/// <summary>
/// Walks an MQTT 5 property block without allocating. Rejects unknown properties, properties the packet type
/// may not carry, duplicates of single-valued properties, truncated values, invalid UTF-8 and out-of-range values.
/// </summary>
internal ref struct MqttPropertyReader
{
    private MqttWireReader _reader;
    private readonly ulong _allowed;
    private ulong _seen;

    private MqttPropertyReader(ReadOnlySpan<byte> block, ulong allowed)
    {
        _reader = new MqttWireReader(block);
        _allowed = allowed;
        _seen = 0;
        Id = 0;
        Number = 0;
        Bytes = default;
        Bytes2 = default;
    }

    /// <summary>The current property.</summary>
    public MqttPropertyId Id { get; private set; }

    /// <summary>Value of a byte, two-byte, four-byte or variable-byte-integer property.</summary>
    public uint Number { get; private set; }

    /// <summary>Value of a string or binary property; the name of a user property.</summary>
    public ReadOnlySpan<byte> Bytes { get; private set; }

    /// <summary>The value of a user property.</summary>
    public ReadOnlySpan<byte> Bytes2 { get; private set; }

    /// <summary>Reads the property-length prefix and the block it covers from <paramref name="packet"/>.</summary>
    public static MqttPropertyReader Read(ref MqttWireReader packet, ulong allowed)
    {
        var length = packet.ReadVariableByteInteger();
        return new MqttPropertyReader(packet.ReadBytes(length), allowed);
    }

    /// <summary>Same as <see cref="Read"/>, for when a packet may end before its property length (treated as no properties).</summary>
    public static MqttPropertyReader ReadOptional(ref MqttWireReader packet, ulong allowed) =>
        packet.End ? new MqttPropertyReader(default, allowed) : Read(ref packet, allowed);

    /// <summary>A reader over a property block whose length prefix was already consumed.</summary>
    public static MqttPropertyReader FromBlock(ReadOnlySpan<byte> block, ulong allowed) => new(block, allowed);

    public string GetString() => Encoding.UTF8.GetString(Bytes);

    public MqttUserProperty GetUserProperty() => new(Encoding.UTF8.GetString(Bytes), Encoding.UTF8.GetString(Bytes2));

    public bool GetBoolean() => Number != 0;

    public bool MoveNext()
    {
        if (_reader.End)
            return false;

        var raw = _reader.ReadVariableByteInteger();
        if (raw > 63 || (_allowed & (1UL << raw)) == 0)
            MqttThrow.ProtocolError($"Property 0x{raw:X2} is unknown or not allowed in this packet.");

        var id = (MqttPropertyId)raw;
        if (id is not MqttPropertyId.UserProperty and not MqttPropertyId.SubscriptionIdentifier)
        {
            var bit = 1UL << raw;
            if ((_seen & bit) != 0)
                MqttThrow.ProtocolError($"Property {id} appears more than once.");
            _seen |= bit;
        }

        Id = id;
        Number = 0;
        Bytes = default;
        Bytes2 = default;
        switch (id)
        {
            case MqttPropertyId.PayloadFormatIndicator:
            case MqttPropertyId.RequestProblemInformation:
            case MqttPropertyId.RequestResponseInformation:
            case MqttPropertyId.MaximumQoS:
            case MqttPropertyId.RetainAvailable:
            case MqttPropertyId.WildcardSubscriptionAvailable:
            case MqttPropertyId.SubscriptionIdentifierAvailable:
            case MqttPropertyId.SharedSubscriptionAvailable:
                Number = _reader.ReadByte();
                if (Number > 1)
                    MqttThrow.ProtocolError($"Property {id} must be 0 or 1, not {Number}.");
                break;
            case MqttPropertyId.ServerKeepAlive:
            case MqttPropertyId.ReceiveMaximum:
            case MqttPropertyId.TopicAliasMaximum:
            case MqttPropertyId.TopicAlias:
                Number = _reader.ReadUInt16();
                if (Number == 0 && id is MqttPropertyId.ReceiveMaximum or MqttPropertyId.TopicAlias)
                    MqttThrow.ProtocolError($"Property {id} cannot be 0.");
                break;
            case MqttPropertyId.MessageExpiryInterval:
            case MqttPropertyId.SessionExpiryInterval:
            case MqttPropertyId.WillDelayInterval:
            case MqttPropertyId.MaximumPacketSize:
                Number = _reader.ReadUInt32();
                if (Number == 0 && id == MqttPropertyId.MaximumPacketSize)
                    MqttThrow.ProtocolError("Property MaximumPacketSize cannot be 0.");
                break;
            case MqttPropertyId.SubscriptionIdentifier:
                Number = (uint)_reader.ReadVariableByteInteger();
                if (Number == 0)
                    MqttThrow.ProtocolError("Property SubscriptionIdentifier cannot be 0.");
                break;
            case MqttPropertyId.CorrelationData:
            case MqttPropertyId.AuthenticationData:
                Bytes = _reader.ReadBinary();
                break;
            case MqttPropertyId.UserProperty:
                Bytes = _reader.ReadUtf8();
                Bytes2 = _reader.ReadUtf8();
                break;
            default: // the remaining ids are all UTF-8 strings
                Bytes = _reader.ReadUtf8();
                break;
        }

        return true;
    }
}
