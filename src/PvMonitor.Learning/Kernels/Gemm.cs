using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PvMonitor.Learning.Kernels;

/// <summary>
/// Single-precision matrix product <c>C = op(A)·op(B) (+ C) (+ bias)</c> for row-major matrices, where
/// <c>op(X)</c> is X or Xᵀ. AVX2+FMA path: B is packed into zero-padded 16- or 8-column panels, A is read in place
/// (rows or, transposed, columns) and broadcast into a 6×16 register tile; rows are blocked for L2 and large products
/// are split across cores. Other hardware uses a portable loop.
/// </summary>
internal static unsafe class Gemm
{
    private const int Mr = 6;
    private const int Kc = 256;
    private const int Mc = 96;
    private const int ChunkRows = 8 * Mr;

    /// <summary>Multiply-adds (m·n·k) from which a product is split across cores.</summary>
    internal static long ParallelThreshold = 1L << 22;

    [ThreadStatic] private static float[]? _packB;
    [ThreadStatic] private static GemmWork? _work;

    /// <summary>
    /// C[m×n] = op(A)[m×k] · op(B)[k×n], plus C when <paramref name="accumulate"/>, plus <paramref name="bias"/>[n] per row
    /// when given. A is stored m×k (or k×m when <paramref name="transA"/>), B is k×n (or n×k when <paramref name="transB"/>).
    /// </summary>
    public static void Multiply(ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> b, bool transB, Span<float> c,
        int m, int n, int k, bool accumulate, ReadOnlySpan<float> bias = default, bool relu = false)
    {
        if ((long)m * k > a.Length || (long)k * n > b.Length || (long)m * n > c.Length || (!bias.IsEmpty && bias.Length < n))
            throw new ArgumentException("Matrix buffers are smaller than the shapes say.");
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        fixed (float* pbias = bias)
        {
            Multiply(pa, transA, pb, transB, pc, m, n, k, accumulate, bias.IsEmpty ? null : pbias, relu);
        }
    }

    internal static void Multiply(float* a, bool transA, float* b, bool transB, float* c, int m, int n, int k, bool accumulate, float* bias, bool relu)
    {
        if (m == 0 || n == 0) return;
        if (k == 0 || !Fma.IsSupported || !Avx.IsSupported)
        {
            Portable(a, transA, b, transB, c, m, n, k, accumulate, bias, relu);
            return;
        }

        int panelCount = PanelCount(n);
        for (int k0 = 0; k0 < k; k0 += Kc)
        {
            int kc = Math.Min(Kc, k - k0);
            int packed = panelCount * 16 * kc;
            var pack = _packB;
            if (pack is null || pack.Length < packed) _packB = pack = new float[Math.Max(packed, 4096)];
            fixed (float* pp = pack)
            {
                PackB(b, transB, n, k, k0, kc, pp);
                float* aBlock = transA ? a + (long)k0 * m : a + k0;
                var ep = (accumulate || k0 > 0 ? Epilogue.Accumulate : Epilogue.None) | (relu && k0 + kc == k ? Epilogue.Relu : Epilogue.None);
                float* bi = k0 == 0 ? bias : null;
                long work = (long)m * n * kc;
                int chunks = (m + ChunkRows - 1) / ChunkRows;
                if (work >= ParallelThreshold && chunks > 1 && WorkerPool.Parallelism > 1)
                {
                    var job = _work ??= new GemmWork();
                    job.Set(aBlock, transA, m, k, pp, kc, c, n, ep, bi);
                    WorkerPool.Run(job, chunks);
                }
                else
                {
                    Rows(aBlock, transA, m, k, pp, kc, c, n, ep, bi, 0, m);
                }
            }
        }
    }

    private static int PanelCount(int n) => (n + 15) / 16;

    /// <summary>Panel p starts at column 16p; all but possibly the last are 16 wide; the last is 8 wide when ≤ 8 columns remain.</summary>
    private static int PanelWidth(int n, int p) => n - 16 * p <= 8 ? 8 : 16;

    private static void PackB(float* b, bool transB, int n, int k, int k0, int kc, float* dst)
    {
        int panels = PanelCount(n);
        for (int p = 0; p < panels; p++)
        {
            int j0 = 16 * p;
            int w = PanelWidth(n, p);
            int valid = Math.Min(w, n - j0);
            if (!transB)
            {
                for (int kk = 0; kk < kc; kk++)
                {
                    float* src = b + (long)(k0 + kk) * n + j0;
                    float* d = dst + kk * w;
                    if (valid == 16) Avx.Store(d + 8, Avx.LoadVector256(src + 8));
                    if (valid >= 8) Avx.Store(d, Avx.LoadVector256(src));
                    int j = valid >= 16 ? 16 : valid >= 8 ? 8 : 0;
                    for (; j < valid; j++) d[j] = src[j];
                    for (; j < w; j++) d[j] = 0f;
                }
            }
            else
            {
                for (int jj = 0; jj < w; jj++)
                {
                    if (jj < valid)
                    {
                        float* src = b + (long)(j0 + jj) * k + k0;
                        for (int kk = 0; kk < kc; kk++) dst[kk * w + jj] = src[kk];
                    }
                    else
                    {
                        for (int kk = 0; kk < kc; kk++) dst[kk * w + jj] = 0f;
                    }
                }
            }

            dst += kc * w;
        }
    }

    /// <summary>Rows [r0, r1) of C.</summary>
    internal static void Rows(float* a, bool transA, int m, int k, float* packB, int kc, float* c, int n, Epilogue ep, float* bias, int r0, int r1)
    {
        nint rsA = transA ? 1 : k;
        nint csA = transA ? m : 1;
        int panels = PanelCount(n);
        for (int ic = r0; ic < r1; ic += Mc)
        {
            int icEnd = Math.Min(ic + Mc, r1);
            float* bp = packB;
            for (int p = 0; p < panels; p++)
            {
                int j0 = 16 * p;
                int w = PanelWidth(n, p);
                int cols = Math.Min(w, n - j0);
                float* biasP = bias is null ? null : bias + j0;
                for (int i = ic; i < icEnd; i += Mr)
                {
                    int rows = Math.Min(Mr, icEnd - i);
                    float* ai = a + i * rsA;
                    float* ci = c + (long)i * n + j0;
                    if (w == 16) Kernel16(ai, rsA, csA, rows, bp, kc, ci, n, cols, ep, biasP);
                    else Kernel8(ai, rsA, csA, rows, bp, kc, ci, n, cols, ep, biasP);
                }

                bp += kc * w;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel16(float* a, nint rsA, nint csA, int rows, float* bp, int kc, float* c, int ldc, int cols, Epilogue ep, float* bias)
    {
        float* a0 = a;
        float* a1 = rows > 1 ? a + rsA : a0;
        float* a2 = rows > 2 ? a + 2 * rsA : a1;
        float* a3 = rows > 3 ? a + 3 * rsA : a2;
        float* a4 = rows > 4 ? a + 4 * rsA : a3;
        float* a5 = rows > 5 ? a + 5 * rsA : a4;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        nint off = 0;
        for (int kk = 0; kk < kc; kk++)
        {
            var b0 = Avx.LoadVector256(bp);
            var b1 = Avx.LoadVector256(bp + 8);
            bp += 16;
            var x = Vector256.Create(a0[off]);
            c00 = Fma.MultiplyAdd(x, b0, c00);
            c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[off]);
            c10 = Fma.MultiplyAdd(x, b0, c10);
            c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[off]);
            c20 = Fma.MultiplyAdd(x, b0, c20);
            c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[off]);
            c30 = Fma.MultiplyAdd(x, b0, c30);
            c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Vector256.Create(a4[off]);
            c40 = Fma.MultiplyAdd(x, b0, c40);
            c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Vector256.Create(a5[off]);
            c50 = Fma.MultiplyAdd(x, b0, c50);
            c51 = Fma.MultiplyAdd(x, b1, c51);
            off += csA;
        }

        if (cols == 16 && rows == Mr)
        {
            Vector256<float> bias0 = default, bias1 = default;
            if (bias is not null)
            {
                bias0 = Avx.LoadVector256(bias);
                bias1 = Avx.LoadVector256(bias + 8);
            }

            Store2(c, c00, c01, ep, bias0, bias1);
            Store2(c + ldc, c10, c11, ep, bias0, bias1);
            Store2(c + 2 * ldc, c20, c21, ep, bias0, bias1);
            Store2(c + 3 * ldc, c30, c31, ep, bias0, bias1);
            Store2(c + 4 * ldc, c40, c41, ep, bias0, bias1);
            Store2(c + 5 * ldc, c50, c51, ep, bias0, bias1);
            return;
        }

        if (rows == Mr)
        {
            // partial panel (last columns of C): masked loads/stores instead of the scalar edge path
            var m0 = LaneMask(cols);
            var m1 = LaneMask(cols - 8);
            Vector256<float> bias0 = default, bias1 = default;
            if (bias is not null)
            {
                bias0 = Avx.MaskLoad(bias, m0);
                bias1 = Avx.MaskLoad(bias + 8, m1);
            }

            StoreMasked(c, c00, m0, ep, bias0);
            StoreMasked(c + 8, c01, m1, ep, bias1);
            StoreMasked(c + ldc, c10, m0, ep, bias0);
            StoreMasked(c + ldc + 8, c11, m1, ep, bias1);
            StoreMasked(c + 2 * ldc, c20, m0, ep, bias0);
            StoreMasked(c + 2 * ldc + 8, c21, m1, ep, bias1);
            StoreMasked(c + 3 * ldc, c30, m0, ep, bias0);
            StoreMasked(c + 3 * ldc + 8, c31, m1, ep, bias1);
            StoreMasked(c + 4 * ldc, c40, m0, ep, bias0);
            StoreMasked(c + 4 * ldc + 8, c41, m1, ep, bias1);
            StoreMasked(c + 5 * ldc, c50, m0, ep, bias0);
            StoreMasked(c + 5 * ldc + 8, c51, m1, ep, bias1);
            return;
        }

        float* tile = stackalloc float[Mr * 16];
        Avx.Store(tile, c00); Avx.Store(tile + 8, c01);
        Avx.Store(tile + 16, c10); Avx.Store(tile + 24, c11);
        Avx.Store(tile + 32, c20); Avx.Store(tile + 40, c21);
        Avx.Store(tile + 48, c30); Avx.Store(tile + 56, c31);
        Avx.Store(tile + 64, c40); Avx.Store(tile + 72, c41);
        Avx.Store(tile + 80, c50); Avx.Store(tile + 88, c51);
        StoreEdge(tile, 16, c, ldc, rows, cols, ep, bias);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8(float* a, nint rsA, nint csA, int rows, float* bp, int kc, float* c, int ldc, int cols, Epilogue ep, float* bias)
    {
        float* a0 = a;
        float* a1 = rows > 1 ? a + rsA : a0;
        float* a2 = rows > 2 ? a + 2 * rsA : a1;
        float* a3 = rows > 3 ? a + 3 * rsA : a2;
        float* a4 = rows > 4 ? a + 4 * rsA : a3;
        float* a5 = rows > 5 ? a + 5 * rsA : a4;
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        nint off = 0;
        for (int kk = 0; kk < kc; kk++)
        {
            var b0 = Avx.LoadVector256(bp);
            bp += 8;
            c0 = Fma.MultiplyAdd(Vector256.Create(a0[off]), b0, c0);
            c1 = Fma.MultiplyAdd(Vector256.Create(a1[off]), b0, c1);
            c2 = Fma.MultiplyAdd(Vector256.Create(a2[off]), b0, c2);
            c3 = Fma.MultiplyAdd(Vector256.Create(a3[off]), b0, c3);
            c4 = Fma.MultiplyAdd(Vector256.Create(a4[off]), b0, c4);
            c5 = Fma.MultiplyAdd(Vector256.Create(a5[off]), b0, c5);
            off += csA;
        }

        if (cols == 8 && rows == Mr)
        {
            Vector256<float> b = bias is null ? default : Avx.LoadVector256(bias);
            Store1(c, c0, ep, b);
            Store1(c + ldc, c1, ep, b);
            Store1(c + 2 * ldc, c2, ep, b);
            Store1(c + 3 * ldc, c3, ep, b);
            Store1(c + 4 * ldc, c4, ep, b);
            Store1(c + 5 * ldc, c5, ep, b);
            return;
        }

        if (rows == Mr)
        {
            var m = LaneMask(cols);
            Vector256<float> b = bias is null ? default : Avx.MaskLoad(bias, m);
            StoreMasked(c, c0, m, ep, b);
            StoreMasked(c + ldc, c1, m, ep, b);
            StoreMasked(c + 2 * ldc, c2, m, ep, b);
            StoreMasked(c + 3 * ldc, c3, m, ep, b);
            StoreMasked(c + 4 * ldc, c4, m, ep, b);
            StoreMasked(c + 5 * ldc, c5, m, ep, b);
            return;
        }

        float* tile = stackalloc float[Mr * 8];
        Avx.Store(tile, c0); Avx.Store(tile + 8, c1); Avx.Store(tile + 16, c2);
        Avx.Store(tile + 24, c3); Avx.Store(tile + 32, c4); Avx.Store(tile + 40, c5);
        StoreEdge(tile, 8, c, ldc, rows, cols, ep, bias);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2(float* c, Vector256<float> v0, Vector256<float> v1, Epilogue ep, Vector256<float> b0, Vector256<float> b1)
    {
        v0 += b0;
        v1 += b1;
        if ((ep & Epilogue.Accumulate) != 0)
        {
            v0 += Avx.LoadVector256(c);
            v1 += Avx.LoadVector256(c + 8);
        }

        if ((ep & Epilogue.Relu) != 0)
        {
            v0 = Relu(v0);
            v1 = Relu(v1);
        }

        Avx.Store(c, v0);
        Avx.Store(c + 8, v1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store1(float* c, Vector256<float> v, Epilogue ep, Vector256<float> b)
    {
        v += b;
        if ((ep & Epilogue.Accumulate) != 0) v += Avx.LoadVector256(c);
        if ((ep & Epilogue.Relu) != 0) v = Relu(v);
        Avx.Store(c, v);
    }

    /// <summary>Stores the first lanes selected by <paramref name="mask"/> (none are touched beyond them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreMasked(float* c, Vector256<float> v, Vector256<float> mask, Epilogue ep, Vector256<float> b)
    {
        v += b;
        if ((ep & Epilogue.Accumulate) != 0) v += Avx.MaskLoad(c, mask);
        if ((ep & Epilogue.Relu) != 0) v = Relu(v);
        Avx.MaskStore(c, mask, v);
    }

    /// <summary>A mask whose first clamp(<paramref name="lanes"/>, 0, 8) lanes are set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LaneMask(int lanes) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(lanes)).AsSingle();

    /// <summary>max(v, 0) keeping NaN (as the ReLU op does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Relu(Vector256<float> v) =>
        Vector256.ConditionalSelect(Vector256.LessThan(v, Vector256<float>.Zero), Vector256<float>.Zero, v);

    private static void StoreEdge(float* tile, int w, float* c, int ldc, int rows, int cols, Epilogue ep, float* bias)
    {
        bool acc = (ep & Epilogue.Accumulate) != 0, relu = (ep & Epilogue.Relu) != 0;
        for (int r = 0; r < rows; r++)
        {
            float* cr = c + (long)r * ldc;
            float* tr = tile + r * w;
            for (int j = 0; j < cols; j++)
            {
                float v = tr[j] + (bias is null ? 0f : bias[j]);
                v = acc ? cr[j] + v : v;
                cr[j] = relu && v < 0f ? 0f : v;
            }
        }
    }

    private static void Portable(float* a, bool transA, float* b, bool transB, float* c, int m, int n, int k, bool accumulate, float* bias, bool relu)
    {
        for (int i = 0; i < m; i++)
        {
            float* ci = c + (long)i * n;
            for (int j = 0; j < n; j++) ci[j] = (accumulate ? ci[j] : 0f) + (bias is null ? 0f : bias[j]);
            for (int kk = 0; kk < k; kk++)
            {
                float aik = transA ? a[(long)kk * m + i] : a[(long)i * k + kk];
                if (!transB)
                {
                    float* bk = b + (long)kk * n;
                    for (int j = 0; j < n; j++) ci[j] += aik * bk[j];
                }
                else
                {
                    for (int j = 0; j < n; j++) ci[j] += aik * b[(long)j * k + kk];
                }
            }

            if (relu)
                for (int j = 0; j < n; j++) ci[j] = ci[j] < 0f ? 0f : ci[j];
        }
    }

    /// <summary>What the store of a tile does besides writing the product (bias is separate).</summary>
    [Flags]
    internal enum Epilogue
    {
        None = 0,
        Accumulate = 1,
        Relu = 2,
    }

    private sealed class GemmWork : ParallelWork
    {
        private float* _a, _packB, _c, _bias;
        private bool _transA;
        private Epilogue _ep;
        private int _m, _k, _kc, _n;

        public void Set(float* a, bool transA, int m, int k, float* packB, int kc, float* c, int n, Epilogue ep, float* bias)
        {
            _a = a;
            _transA = transA;
            _m = m;
            _k = k;
            _packB = packB;
            _kc = kc;
            _c = c;
            _n = n;
            _ep = ep;
            _bias = bias;
        }

        public override void Run(int chunk, int chunks)
        {
            int r0 = chunk * ChunkRows, r1 = Math.Min(r0 + ChunkRows, _m);
            if (r0 < r1) Rows(_a, _transA, _m, _k, _packB, _kc, _c, _n, _ep, _bias, r0, r1);
        }
    }
}
