namespace PvMonitor.Mqtt;

/// <summary>An MQTT 5 user property: a name/value pair of UTF-8 strings.</summary>
public sealed record MqttUserProperty(string Name, string Value);
