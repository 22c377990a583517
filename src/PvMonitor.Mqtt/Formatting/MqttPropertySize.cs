namespace PvMonitor.Mqtt.Formatting;

/// <summary>Encoded sizes of MQTT 5 properties (identifier byte included); 0 when the property is absent.</summary>
internal static class MqttPropertySize
{
    public static int Byte(byte? value) => value.HasValue ? 2 : 0;

    public static int Boolean(bool? value) => value.HasValue ? 2 : 0;

    public static int UInt16(ushort? value) => value.HasValue ? 3 : 0;

    public static int UInt32(uint? value) => value.HasValue ? 5 : 0;

    public static int VariableByteInteger(uint? value) =>
        value.HasValue ? 1 + Formatting.VariableByteInteger.GetSize(checked((int)value.Value)) : 0;

    public static int String(string? value) => value is null ? 0 : 3 + MqttUtf8.GetByteCount(value);

    public static int Binary(byte[]? value)
    {
        if (value is null)
            return 0;
        if (value.Length > ushort.MaxValue)
            throw new MqttProtocolException($"Binary property data of {value.Length} bytes exceeds 65,535.");
        return 3 + value.Length;
    }

    public static int UserProperties(IReadOnlyList<MqttUserProperty>? properties)
    {
        if (properties is null)
            return 0;
        var size = 0;
        for (var i = 0; i < properties.Count; i++)
            size += 5 + MqttUtf8.GetByteCount(properties[i].Name) + MqttUtf8.GetByteCount(properties[i].Value);
        return size;
    }

    /// <summary>The property-length prefix plus the properties themselves.</summary>
    public static int Block(int propertiesLength) => Formatting.VariableByteInteger.GetSize(propertiesLength) + propertiesLength;
}
