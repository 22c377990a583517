namespace PvMonitor.Learning.Serialization;

/// <summary>
/// Layout of a parameter file (version 1, all integers and floats little-endian):
/// <code>
/// offset 0   4 bytes  magic "PVML"
///        4   u16      format version (1)
///        6   u16      reserved, 0
///        8   u32      entry count
///        12  u64      length of the entry section in bytes
///        20  entries, each:
///              u8   kind: 1 = float32 tensor, 2 = float64 scalar
///              u16  name length in bytes, then the UTF-8 name
///              kind 1: u8 rank (1 or 2), u32 rows, u32 cols, rows·cols float32 values (row-major)
///              kind 2: float64 value
///        end 4 bytes  CRC-32 (IEEE) of every byte before it
/// </code>
/// </summary>
public static class ParameterFileFormat
{
    /// <summary>The format version written by this build, and the only one it reads.</summary>
    public const ushort Version = 1;

    /// <summary>File signature "PVML".</summary>
    public static ReadOnlySpan<byte> Magic => "PVML"u8;

    /// <summary>Bytes before the entries.</summary>
    public const int HeaderLength = 20;

    /// <summary>Bytes after the entries (the checksum).</summary>
    public const int TrailerLength = 4;

    internal const byte TensorKind = 1;
    internal const byte ScalarKind = 2;
}
