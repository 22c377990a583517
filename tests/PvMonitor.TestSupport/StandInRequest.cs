namespace PvMonitor.Testing;

/// <summary>A request the <see cref="InfluxV2StandIn"/> received: method, path with query, headers, raw body.</summary>
public sealed record StandInRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body);
