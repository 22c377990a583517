using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Nn;
using PvMonitor.Learning.Optim;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Tests.Autograd;

public class GraphLifecycleTests
{
    [Fact]
    public void ResultsFromAnEarlierPassCannotBeUsed()
    {
        var g = new Graph();
        var x = g.Input([1f, 2f], 1, 2);
        var y = g.Exp(x);
        g.Reset();
        var act = () => g.Exp(y);
        act.Should().Throw<InvalidOperationException>().WithMessage("*earlier pass*");
        ((Action)(() => _ = y.Span.Length)).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void TensorsFromAnotherGraphAreRejected()
    {
        var a = new Graph();
        var b = new Graph();
        var x = a.Input([1f], 1, 1);
        ((Action)(() => b.Exp(x))).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void NoGradModeRecordsNothingToDifferentiate()
    {
        var w = Tensor.Parameter(2, 2);
        var g = new Graph(gradients: false);
        var y = g.Sum(g.MatMul(g.Input([1f, 2f], 1, 2), w));
        y.RequiresGrad.Should().BeFalse();
        ((Action)(() => g.Backward(y))).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void BackwardNeedsAScalar()
    {
        var w = Tensor.Parameter(2, 2);
        var g = new Graph();
        var y = g.MatMul(g.Input([1f, 2f], 1, 2), w);
        ((Action)(() => g.Backward(y))).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void ParameterGradientsAccumulateUntilZeroed()
    {
        var w = Tensor.Parameter(1, 1);
        w[0] = 3f;
        var g = new Graph();
        for (int i = 0; i < 2; i++)
        {
            g.Reset();
            g.Backward(g.Sum(g.Square(w)));
        }

        w.Grad![0].Should().Be(12f);
        w.ZeroGrad();
        w.Grad![0].Should().Be(0f);
    }

    [Fact]
    public void ResetReusesStorageSoOutputsMatchAcrossPasses()
    {
        var r = new RandomSource(3);
        var mlp = new MlpBuilder(6).Hidden(50).Hidden(50).Output(10).Build(r);
        var x = Tensor.Uniform(r, 32, 6);
        var g = new Graph(gradients: false);
        var first = mlp.Forward(g, x).ToArray();
        g.Reset();
        var second = mlp.Forward(g, x).ToArray();
        second.Should().Equal(first);
        g.NodeCount.Should().BeGreaterThan(0);
    }

    [Fact]
    public void SteadyStateTrainingStepAllocatesNothing()
    {
        var r = new RandomSource(1);
        var mlp = new MlpBuilder(6).Hidden(50).Hidden(50).Output(10).Build(r);
        var adam = new Adam(mlp);
        var g = new Graph();
        var x = new float[64 * 6];
        r.FillUniform(x);
        var labels = new int[64];
        for (int i = 0; i < labels.Length; i++) labels[i] = i % 10;

        void Step()
        {
            g.Reset();
            var xin = g.Input(x, 64, 6);
            var loss = g.CrossEntropy(mlp.Forward(g, xin), labels);
            adam.ZeroGrad();
            g.Backward(loss);
            GradientClipping.ClipByGlobalNorm(adam.Parameters, 10f);
            adam.Step();
        }

        for (int i = 0; i < 3; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
    }

    [Fact]
    public void GraphsOnSeveralThreadsGiveTheSameResultsAsOneAtATime()
    {
        // Large enough for the products to use the worker pool; each thread has its own model, graph and random source.
        static float[] Train(ulong seed)
        {
            var r = new RandomSource(seed);
            var mlp = new MlpBuilder(6).Hidden(200).Hidden(200).Output(10).Build(r);
            var adam = new Adam(mlp);
            var g = new Graph();
            var x = new float[400 * 6];
            r.FillNormal(x);
            var labels = new int[400];
            for (int i = 0; i < labels.Length; i++) labels[i] = i % 10;
            for (int step = 0; step < 5; step++)
            {
                g.Reset();
                var loss = g.CrossEntropy(mlp.Forward(g, g.Input(x, 400, 6)), labels);
                adam.ZeroGrad();
                g.Backward(loss);
                adam.Step();
            }

            return mlp.Parameters()[0].ToArray();
        }

        var sequential = Enumerable.Range(1, 4).Select(s => Train((ulong)s)).ToArray();
        var parallel = new float[4][];
        Parallel.For(0, 4, i => parallel[i] = Train((ulong)(i + 1)));
        for (int i = 0; i < 4; i++) parallel[i].Should().Equal(sequential[i]);
    }

    [Fact]
    public void SteadyStateInferenceOfAGaussianBoundAllocatesNothing()
    {
        var r = new RandomSource(1);
        var enc = new MlpBuilder(8).Hidden(50).Hidden(50).Output(8).Build(r);
        var g = new Graph(gradients: false);
        var x = new float[100 * 6];
        r.FillUniform(x);

        void Pass()
        {
            g.Reset();
            var xin = g.Input(x, 100, 6);
            var xk = g.RepeatRows(xin, 2);
            var h = enc.Forward(g, g.Concat(xk, g.EnumerateClasses(100, 2)));
            var mu = g.SliceCols(h, 0, 4);
            var lv = g.SliceCols(h, 4, 4);
            var z = g.Reparameterize(mu, lv, r);
            var bound = g.WeightedSum(g.GaussianLogProb(z, mu, lv), -1f, g.StandardNormalLogProb(z), 1f);
            _ = g.Mean(bound);
        }

        for (int i = 0; i < 3; i++) Pass();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) Pass();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }
}
