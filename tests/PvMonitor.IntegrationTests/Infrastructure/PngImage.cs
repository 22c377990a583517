using System.Buffers.Binary;
using System.IO.Compression;

namespace PvMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// A decoded PNG as chromium's <c>Page.captureScreenshot</c> writes it (8-bit RGB or RGBA, not interlaced), for checking
/// that a screenshot is a real rendering: size, colours, the colour of a region. Pixels are 0xRRGGBB, row by row.
/// </summary>
internal sealed class PngImage
{
    /// <summary>The eight bytes every PNG file starts with.</summary>
    public static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private PngImage(int width, int height, int[] pixels) => (Width, Height, Pixels) = (width, height, pixels);

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>0xRRGGBB per pixel (alpha dropped), <see cref="Width"/> × <see cref="Height"/>, row by row from the top.</summary>
    public int[] Pixels { get; }

    /// <summary>The pixel at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public int this[int x, int y] => Pixels[y * Width + x];

    /// <summary>Decodes <paramref name="png"/>; throws <see cref="InvalidDataException"/> for a bad signature or an unsupported format.</summary>
    public static PngImage Decode(byte[] png)
    {
        if (!png.AsSpan().StartsWith(Signature)) throw new InvalidDataException("not a PNG: the signature is missing");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (int at = Signature.Length; at + 8 <= png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                (byte depth, byte colour, byte interlace) = (data[8], data[9], data[12]);
                channels = colour switch { 2 => 3, 6 => 4, _ => 0 };
                if (depth != 8 || channels == 0 || interlace != 0)
                    throw new InvalidDataException($"unsupported PNG: bit depth {depth}, colour type {colour}, interlace {interlace}");
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            at += 12 + length;
        }

        if (channels == 0) throw new InvalidDataException("not a PNG: no IHDR chunk");
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        var raw = inflated.GetBuffer();
        int stride = width * channels;
        var previous = new byte[stride];
        var row = new byte[stride];
        var pixels = new int[width * height];
        for (int y = 0; y < height; y++)
        {
            int start = y * (stride + 1);
            Unfilter(raw[start], raw.AsSpan(start + 1, stride), row, previous, channels);
            for (int x = 0; x < width; x++)
                pixels[y * width + x] = (row[x * channels] << 16) | (row[x * channels + 1] << 8) | row[x * channels + 2];
            (previous, row) = (row, previous);
        }

        return new PngImage(width, height, pixels);
    }

    private static void Unfilter(byte filter, ReadOnlySpan<byte> line, byte[] row, byte[] previous, int bpp)
    {
        for (int i = 0; i < line.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => Paeth(a, b, c),
                _ => throw new InvalidDataException($"bad PNG filter type {filter}"),
            };
            row[i] = (byte)(line[i] + predictor);
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
