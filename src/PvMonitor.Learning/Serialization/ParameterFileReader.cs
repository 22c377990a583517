using System.Buffers.Binary;
using System.Text;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Serialization;

/// <summary>
/// Decodes a <see cref="ParameterFileFormat"/> file (pure: no I/O). The whole file is validated — length, magic,
/// version, checksum, every entry's bounds — before anything is returned, so a bad file never yields partial state.
/// </summary>
public static class ParameterFileReader
{
    /// <summary>Largest file <see cref="Load"/> accepts (256 MiB).</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>Decodes <paramref name="data"/>; throws <see cref="ParameterFileException"/> with the reason when it is not a valid file.</summary>
    public static StateDict Read(ReadOnlySpan<byte> data)
    {
        const int minimum = ParameterFileFormat.HeaderLength + ParameterFileFormat.TrailerLength;
        if (data.Length < minimum) throw Fail($"file is {data.Length} bytes, shorter than the {minimum}-byte header and checksum (truncated?)");
        if (!data[..4].SequenceEqual(ParameterFileFormat.Magic)) throw Fail("not a parameter file (magic bytes are not \"PVML\")");
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        if (version != ParameterFileFormat.Version) throw Fail($"format version {version} is not supported (this build reads version {ParameterFileFormat.Version})");
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        ulong payload = BinaryPrimitives.ReadUInt64LittleEndian(data[12..]);
        ulong expected = ParameterFileFormat.HeaderLength + payload + ParameterFileFormat.TrailerLength;
        if (payload > (ulong)data.Length || expected != (ulong)data.Length)
            throw Fail(expected > (ulong)data.Length || payload > (ulong)data.Length
                ? $"file is truncated: header announces {expected} bytes, found {data.Length}"
                : $"file has {(ulong)data.Length - expected} unexpected trailing bytes");
        int end = data.Length - ParameterFileFormat.TrailerLength;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data[end..]);
        uint actual = Crc32.Compute(data[..end]);
        if (stored != actual) throw Fail($"checksum mismatch (stored {stored:X8}, computed {actual:X8}): the file is corrupted");

        var state = new StateDict();
        int pos = ParameterFileFormat.HeaderLength;
        for (uint e = 0; e < count; e++)
        {
            byte kind = Take(data, ref pos, 1, end)[0];
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(Take(data, ref pos, 2, end));
            string name;
            try
            {
                name = new UTF8Encoding(false, true).GetString(Take(data, ref pos, nameLength, end));
            }
            catch (DecoderFallbackException)
            {
                throw Fail($"entry {e} has a name that is not valid UTF-8");
            }

            if (name.Length == 0) throw Fail($"entry {e} has an empty name");
            if (state.TryGetTensor(name, out _) || state.TryGetScalar(name, out _)) throw Fail($"entry '{name}' appears twice");
            switch (kind)
            {
                case ParameterFileFormat.TensorKind:
                {
                    byte rank = Take(data, ref pos, 1, end)[0];
                    uint rows = BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref pos, 4, end));
                    uint cols = BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref pos, 4, end));
                    if (rank is not (1 or 2) || (rank == 1 && rows != 1)) throw Fail($"entry '{name}' has an invalid shape (rank {rank}, {rows} × {cols})");
                    ulong bytes = (ulong)rows * cols * 4;
                    if (bytes > (ulong)(end - pos)) throw Fail($"entry '{name}' ({rows} × {cols}) runs past the end of the entries");
                    var values = Take(data, ref pos, (int)bytes, end);
                    var t = rank == 1 ? Tensor.Zeros((int)cols) : Tensor.Zeros((int)rows, (int)cols);
                    var dst = t.Span;
                    for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadSingleLittleEndian(values[(4 * i)..]);
                    state.Add(name, t);
                    break;
                }

                case ParameterFileFormat.ScalarKind:
                    state.AddScalar(name, BinaryPrimitives.ReadDoubleLittleEndian(Take(data, ref pos, 8, end)));
                    break;
                default:
                    throw Fail($"entry '{name}' has unknown kind {kind}");
            }
        }

        if (pos != end) throw Fail($"{end - pos} bytes after the last of {count} entries");
        return state;
    }

    /// <summary>Reads the whole of <paramref name="stream"/> (at most <see cref="MaxFileBytes"/>) and decodes it.</summary>
    public static StateDict Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var memory = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (memory.Length + n > MaxFileBytes) throw Fail($"file is larger than {MaxFileBytes} bytes");
            memory.Write(chunk, 0, n);
        }

        return Read(memory.GetBuffer().AsSpan(0, (int)memory.Length));
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int pos, int length, int end)
    {
        if (length < 0 || length > end - pos) throw Fail($"an entry runs past the end of the entries at byte {pos}");
        var s = data.Slice(pos, length);
        pos += length;
        return s;
    }

    private static ParameterFileException Fail(string reason) => new($"Invalid parameter file: {reason}.");
}
