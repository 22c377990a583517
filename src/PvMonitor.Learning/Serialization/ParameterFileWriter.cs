using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace PvMonitor.Learning.Serialization;

/// <summary>Encodes a <see cref="StateDict"/> in the <see cref="ParameterFileFormat"/> (pure: no I/O).</summary>
public static class ParameterFileWriter
{
    /// <summary>Writes the whole file for <paramref name="state"/> to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, StateDict state)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(state);
        long payload = 0;
        foreach (var (name, t) in state.Tensors) payload += 1 + 2 + NameLength(name) + 1 + 4 + 4 + 4L * t.Length;
        foreach (var (name, _) in state.Scalars) payload += 1 + 2 + NameLength(name) + 8;
        long total = ParameterFileFormat.HeaderLength + payload + ParameterFileFormat.TrailerLength;
        if (total > Array.MaxLength) throw new InvalidOperationException("State is too large for one parameter file.");

        var buffer = new byte[total];
        var span = buffer.AsSpan();
        ParameterFileFormat.Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], ParameterFileFormat.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)state.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(span[12..], (ulong)payload);
        int pos = ParameterFileFormat.HeaderLength;
        foreach (var (name, t) in state.Tensors)
        {
            pos = WriteName(span, pos, ParameterFileFormat.TensorKind, name);
            span[pos++] = (byte)t.Rank;
            BinaryPrimitives.WriteUInt32LittleEndian(span[pos..], (uint)t.Rows);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(pos + 4)..], (uint)t.Cols);
            pos += 8;
            foreach (float v in t.Span)
            {
                BinaryPrimitives.WriteSingleLittleEndian(span[pos..], v);
                pos += 4;
            }
        }

        foreach (var (name, v) in state.Scalars)
        {
            pos = WriteName(span, pos, ParameterFileFormat.ScalarKind, name);
            BinaryPrimitives.WriteDoubleLittleEndian(span[pos..], v);
            pos += 8;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[pos..], Crc32.Compute(span[..pos]));
        output.Write(span);
    }

    /// <summary>Writes the file to <paramref name="stream"/>.</summary>
    public static void Save(Stream stream, StateDict state)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var writer = new ArrayBufferWriter<byte>();
        Write(writer, state);
        stream.Write(writer.WrittenSpan);
    }

    private static int NameLength(string name)
    {
        int n = Encoding.UTF8.GetByteCount(name);
        if (n > ushort.MaxValue) throw new ArgumentException($"Entry name is too long ({n} bytes).");
        return n;
    }

    private static int WriteName(Span<byte> span, int pos, byte kind, string name)
    {
        span[pos++] = kind;
        int n = Encoding.UTF8.GetBytes(name, span[(pos + 2)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span[pos..], (ushort)n);
        return pos + 2 + n;
    }
}
