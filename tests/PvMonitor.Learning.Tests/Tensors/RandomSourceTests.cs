using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Tests.Tensors;

public class RandomSourceTests
{
    [Fact]
    public void SameSeedSameNumbers()
    {
        var a = new RandomSource(123);
        var b = new RandomSource(123);
        var xa = new float[1001];
        var xb = new float[1001];
        a.FillNormal(xa);
        b.FillNormal(xb);
        xa.Should().Equal(xb);
        a.NextUInt64().Should().Be(b.NextUInt64());
        new RandomSource(124).NextUInt64().Should().NotBe(new RandomSource(123).NextUInt64());
        a.Fork().NextUInt64().Should().Be(b.Fork().NextUInt64());
    }

    [Fact]
    public void StreamIsXoshiro256StarStarSeededBySplitMix64()
    {
        // Values from an independent Python implementation of SplitMix64 seeding + xoshiro256**.
        var r = new RandomSource(42);
        r.NextUInt64().Should().Be(0x15780b2e0c2ec716UL);
        r.NextUInt64().Should().Be(0x6104d9866d113a7eUL);
        r.NextUInt64().Should().Be(0xae17533239e499a1UL);
    }

    [Fact]
    public void BulkFillsContinueTheSameStreamAsSingleDraws()
    {
        var a = new RandomSource(9);
        var b = new RandomSource(9);
        var u = new float[37];
        a.FillUniform(u);
        for (int i = 0; i < u.Length; i++) u[i].Should().Be(b.NextFloat());
        a.NextUInt64().Should().Be(b.NextUInt64());
    }

    [Fact]
    public void NormalAndUniformMoments()
    {
        var r = new RandomSource(1);
        var x = new float[200_001];
        r.FillNormal(x, 1f, 2f);
        x.Average().Should().BeApproximately(1f, 0.02f);
        Math.Sqrt(x.Average(v => (v - 1.0) * (v - 1.0))).Should().BeApproximately(2.0, 0.02);
        x.Should().OnlyContain(v => float.IsFinite(v));
        var u = new float[100_000];
        r.FillUniform(u, -1f, 3f);
        u.Should().OnlyContain(v => v >= -1f && v < 3f);
        u.Average().Should().BeApproximately(1f, 0.02f);
    }

    [Fact]
    public void NextIntIsInRangeAndShuffleIsAPermutation()
    {
        var r = new RandomSource(2);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[r.NextInt(7)]++;
        counts.Should().OnlyContain(c => c > 9_500 && c < 10_500);
        var p = Enumerable.Range(0, 100).ToArray();
        r.Shuffle(p.AsSpan());
        p.Order().Should().Equal(Enumerable.Range(0, 100));
        p.Should().NotEqual(Enumerable.Range(0, 100));
    }
}
