using PvMonitor.Learning.Kernels;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Tests.Kernels;

public class GemmTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 1, 7, 3 }, { 5, 1, 9 }, { 6, 16, 4 }, { 7, 17, 5 }, { 13, 37, 20 }, { 12, 8, 1 },
        { 50, 50, 6 }, { 100, 50, 50 }, { 33, 24, 300 }, { 97, 130, 70 }, { 256, 64, 64 }, { 300, 50, 600 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesNaiveProductForAllTransposes(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (bool acc in new[] { false, true })
                    foreach (bool bias in new[] { false, true })
                        foreach (bool relu in new[] { false, true })
                            Compare(m, n, k, ta, tb, acc, bias, relu);
    }

    [Fact]
    public void LargeProductsSplitAcrossCoresGiveTheSameResult()
    {
        long saved = Gemm.ParallelThreshold;
        try
        {
            Gemm.ParallelThreshold = 1;
            Compare(200, 70, 90, false, false, true, true);
            Compare(200, 70, 90, true, true, false, false);
            Compare(200, 70, 300, false, true, false, true, relu: true);
        }
        finally
        {
            Gemm.ParallelThreshold = saved;
        }
    }

    [Fact]
    public void EmptyInnerDimensionGivesBiasOrZero()
    {
        var c = new float[6];
        c.AsSpan().Fill(5f);
        Gemm.Multiply([], false, [], false, c, 2, 3, 0, false, [1f, 2f, 3f]);
        c.Should().Equal(1f, 2f, 3f, 1f, 2f, 3f);
    }

    private static void Compare(int m, int n, int k, bool ta, bool tb, bool acc, bool useBias, bool relu = false)
    {
        var r = new RandomSource((ulong)(m * 1000003 + n * 1009 + k));
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        var bias = useBias ? new float[n] : [];
        r.FillUniform(a, -1f, 1f);
        r.FillUniform(b, -1f, 1f);
        r.FillUniform(c, -1f, 1f);
        r.FillUniform(bias, -1f, 1f);
        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = (acc ? c[i * n + j] : 0) + (useBias ? bias[j] : 0);
                for (int p = 0; p < k; p++)
                {
                    double av = ta ? a[p * m + i] : a[i * k + p];
                    double bv = tb ? b[j * k + p] : b[p * n + j];
                    s += av * bv;
                }

                expected[i * n + j] = relu ? Math.Max(s, 0) : s;
            }

        Gemm.Multiply(a, ta, b, tb, c, m, n, k, acc, bias, relu);
        for (int i = 0; i < m * n; i++)
            Math.Abs(c[i] - expected[i]).Should().BeLessThan(1e-4 * Math.Sqrt(k) + 1e-5, $"element {i} of {m}×{n}·k{k} ta={ta} tb={tb} acc={acc} bias={useBias} relu={relu}");
    }
}
