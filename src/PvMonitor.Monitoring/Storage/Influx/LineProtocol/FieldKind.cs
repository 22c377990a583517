namespace PvMonitor.Monitoring.Storage.Influx.LineProtocol;

/// <summary>The line-protocol type of a field value.</summary>
public enum FieldKind : byte
{
    /// <summary>A 64-bit float, written without a suffix (<c>v=1.5</c>).</summary>
    Float = 0,

    /// <summary>A signed 64-bit integer, written with an <c>i</c> suffix (<c>v=42i</c>).</summary>
    Integer = 1,

    /// <summary>A boolean, written as <c>true</c> or <c>false</c>.</summary>
    Boolean = 2,

    /// <summary>A string, written in double quotes with <c>"</c> and <c>\</c> escaped.</summary>
    String = 3,
}
