using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Distributions;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Tests.Distributions;

public class DistributionTests
{
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);

    [Fact]
    public void GaussianLogProbMatchesClosedForm()
    {
        var g = new Graph(false);
        var x = GradCheck.Rand(1, 5, 3, -2f, 2f);
        var mu = GradCheck.Rand(2, 5, 3);
        var lv = GradCheck.Rand(3, 5, 3, -2f, 1f);
        var q = new DiagonalGaussian(g, mu, lv);
        var lp = q.LogProb(x);
        lp.Rows.Should().Be(5);
        lp.Cols.Should().Be(1);
        for (int i = 0; i < 5; i++)
        {
            double s = 0;
            for (int j = 0; j < 3; j++)
            {
                double var = Math.Exp(lv[i, j]);
                double d = x[i, j] - mu[i, j];
                s += -0.5 * Log2Pi - 0.5 * Math.Log(var) - d * d / (2 * var);
            }

            lp[i, 0].Should().BeApproximately((float)s, 1e-5f);
        }

        var std = DiagonalGaussian.StandardLogProb(g, x);
        for (int i = 0; i < 5; i++)
        {
            double s = 0;
            for (int j = 0; j < 3; j++) s += -0.5 * Log2Pi - 0.5 * x[i, j] * (double)x[i, j];
            std[i, 0].Should().BeApproximately((float)s, 1e-5f);
        }
    }

    [Fact]
    public void GaussianKlMatchesClosedFormAndIsZeroForEqualArguments()
    {
        var g = new Graph(false);
        var mq = GradCheck.Rand(1, 4, 6);
        var lq = GradCheck.Rand(2, 4, 6);
        var mp = GradCheck.Rand(3, 4, 6);
        var lp = GradCheck.Rand(4, 4, 6);
        var q = new DiagonalGaussian(g, mq, lq);
        var p = new DiagonalGaussian(g, mp, lp);
        var kl = q.KlDivergence(p);
        for (int i = 0; i < 4; i++)
        {
            double s = 0;
            for (int j = 0; j < 6; j++)
            {
                double sq = Math.Exp(0.5 * lq[i, j]), sp = Math.Exp(0.5 * lp[i, j]);
                double d = mq[i, j] - mp[i, j];
                s += Math.Log(sp / sq) + (sq * sq + d * d) / (2 * sp * sp) - 0.5;
            }

            kl[i, 0].Should().BeApproximately((float)s, 1e-5f);
        }

        q.KlDivergence(q).ToArray().Should().OnlyContain(v => Math.Abs(v) < 1e-6);

        // KL to N(0, I) agrees with the general form against zero mean / zero log-variance.
        var zeros = Tensor.Zeros(4, 6);
        var general = g.GaussianKl(mq, lq, zeros, zeros).ToArray();
        var standard = q.KlToStandardNormal().ToArray();
        standard.Select((v, i) => Math.Abs(v - general[i])).Should().OnlyContain(d => d < 1e-5);
    }

    [Fact]
    public void KlMatchesMonteCarloEstimate()
    {
        // E_q[log q(z) − log p(z)] with 200k reparameterised samples.
        const int n = 200_000;
        var g = new Graph(false);
        var mq = g.Full(n, 2, 0.5f);
        var lq = g.Full(n, 2, -0.5f);
        var mp = g.Full(n, 2, -0.3f);
        var lp = g.Full(n, 2, 0.4f);
        var q = new DiagonalGaussian(g, mq, lq);
        var p = new DiagonalGaussian(g, mp, lp);
        var z = q.Sample(new RandomSource(99));
        var mc = g.Mean(g.Sub(q.LogProb(z), p.LogProb(z)))[0];
        var exact = g.Mean(q.KlDivergence(p))[0];
        mc.Should().BeApproximately(exact, 0.01f);
    }

    [Fact]
    public void SamplesHaveTheRequestedMoments()
    {
        const int n = 100_000;
        var g = new Graph(false);
        var z = g.Reparameterize(g.Full(n, 1, 2f), g.Full(n, 1, MathF.Log(0.25f)), new RandomSource(4));
        var v = z.ToArray();
        v.Average().Should().BeApproximately(2f, 0.01f);
        Math.Sqrt(v.Select(a => (a - 2.0) * (a - 2.0)).Average()).Should().BeApproximately(0.5, 0.01);
    }

    [Fact]
    public void GaussianEntropyMatchesClosedForm()
    {
        var g = new Graph(false);
        var lv = GradCheck.Rand(1, 3, 4);
        var h = new DiagonalGaussian(g, Tensor.Zeros(3, 4), lv).Entropy();
        for (int i = 0; i < 3; i++)
        {
            double s = 0;
            for (int j = 0; j < 4; j++) s += 0.5 * Math.Log(2 * Math.PI * Math.E * Math.Exp(lv[i, j]));
            h[i, 0].Should().BeApproximately((float)s, 1e-5f);
        }
    }

    [Fact]
    public void CategoricalLogProbEntropyAndProbabilities()
    {
        var g = new Graph(false);
        var logits = Tensor.FromRows(new float[,] { { 0f, 0f, 0f, 0f }, { 1f, 2f, 3f, 4f }, { 100f, 0f, -100f, 0f } });
        var c = new Categorical(g, logits);
        var h = c.Entropy();
        h[0, 0].Should().BeApproximately(MathF.Log(4), 1e-6f);
        h[2, 0].Should().BeApproximately(0f, 1e-6f);
        var p = c.Probabilities();
        for (int i = 0; i < 3; i++) Enumerable.Range(0, 4).Sum(j => p[i, j]).Should().BeApproximately(1f, 1e-6f);
        double z = Enumerable.Range(1, 4).Sum(k => Math.Exp(k));
        double expectedH = -Enumerable.Range(1, 4).Sum(k => Math.Exp(k) / z * (k - Math.Log(z)));
        h[1, 0].Should().BeApproximately((float)expectedH, 1e-5f);
        var lp = c.LogProb([3, 3, 0]);
        lp[1, 0].Should().BeApproximately((float)(4 - Math.Log(z)), 1e-5f);
        lp[2, 0].Should().BeApproximately(0f, 1e-6f);
        Categorical.UniformLogProb(10).Should().BeApproximately(-MathF.Log(10), 1e-7f);
    }

    [Fact]
    public void CrossEntropyMatchesManualNegativeLogLikelihood()
    {
        var g = new Graph(false);
        var logits = GradCheck.Rand(8, 6, 5, -3f, 3f);
        int[] labels = [0, 4, 2, 2, 1, 3];
        var ce = g.CrossEntropy(logits, labels)[0];
        double s = 0;
        for (int i = 0; i < 6; i++)
        {
            double z = Enumerable.Range(0, 5).Sum(j => Math.Exp(logits[i, j]));
            s += Math.Log(z) - logits[i, labels[i]];
        }

        ce.Should().BeApproximately((float)(s / 6), 1e-5f);
    }
}
