namespace PvMonitor.Monitoring.Storage.Influx.LineProtocol;

/// <summary>Which element of a line a name belongs to (for escaping rules and error messages).</summary>
internal enum NameKind
{
    Measurement,
    TagKey,
    TagValue,
    FieldKey,
}
