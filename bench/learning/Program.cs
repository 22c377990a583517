using System.Globalization;
using System.Runtime.Intrinsics.X86;
using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Nn;
using PvMonitor.Learning.Optim;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Bench.Learning;

/// <summary>
/// Learning-engine benchmarks (Stopwatch harness, medians). Usage:
/// <c>dotnet run -c Release --project bench/learning -- [--seconds S] [--json]</c>.
/// Threads: environment variable PVML_THREADS (default: all cores, at most 8).
/// </summary>
internal static class Program
{
    private static bool _json;

    public static int Main(string[] args)
    {
        double seconds = 2.0;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--json") _json = true;
            else if (args[i] == "--seconds") seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
        }

        if (!_json)
            Console.WriteLine($"# PvMonitor.Learning bench: {Environment.ProcessorCount} cores, AVX2={Avx2.IsSupported}, FMA={Fma.IsSupported}, AVX-512={Avx512F.IsSupported}, PVML_THREADS={Environment.GetEnvironmentVariable("PVML_THREADS") ?? "(default)"}");

        MatMul(256, 64, 64, seconds);
        MatMul(1024, 128, 128, seconds);
        MatMul(1000, 50, 50, seconds);
        MatMul(1000, 26, 50, seconds);
        MatMul(2048, 256, 256, seconds);
        MlpStep(256, seconds);
        MlpStep(1000, seconds);
        MlpInference(1000, seconds);
        Sdgm(seconds);
        return 0;
    }

    private static void MatMul(int m, int k, int n, double seconds)
    {
        var r = new RandomSource(1);
        var a = Tensor.Uniform(r, m, k, -1f, 1f);
        var b = Tensor.Uniform(r, k, n, -1f, 1f);
        var g = new Graph(gradients: false);
        double t = Measure.Median(() =>
        {
            g.Reset();
            g.MatMul(a, b);
        }, seconds);
        Report($"matmul {m}x{k}*{k}x{n}", t, 2.0 * m * n * k / t / 1e9);
    }

    private static void MlpStep(int batch, double seconds)
    {
        var r = new RandomSource(1);
        var mlp = new MlpBuilder(6).Hidden(50).Hidden(50).Output(10).Build(r);
        var adam = new Adam(mlp, new AdamOptions { LearningRate = 1e-3f });
        var g = new Graph();
        var x = new float[batch * 6];
        r.FillNormal(x);
        var labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = r.NextInt(10);
        double t = Measure.Median(() =>
        {
            g.Reset();
            var loss = g.CrossEntropy(mlp.Forward(g, g.Input(x, batch, 6)), labels);
            adam.ZeroGrad();
            g.Backward(loss);
            adam.Step();
        }, seconds);
        Report($"mlp 6-50-50-10 adam step, batch {batch}", t, null);
    }

    private static void MlpInference(int batch, double seconds)
    {
        var r = new RandomSource(1);
        var mlp = new MlpBuilder(6).Hidden(50).Hidden(50).Output(10).Build(r);
        var g = new Graph(gradients: false);
        var x = new float[batch * 6];
        r.FillNormal(x);
        double t = Measure.Median(() =>
        {
            g.Reset();
            g.Softmax(mlp.Forward(g, g.Input(x, batch, 6)));
        }, seconds);
        Report($"mlp 6-50-50-10 forward+softmax no-grad, batch {batch}", t, null, rowsPerSecond: batch / t);
    }

    private static void Sdgm(double seconds)
    {
        var w = new SdgmShapedWorkload();
        var data = SdgmShapedWorkload.Data(1000);
        var train = new Graph();
        double step = Measure.Median(() => w.TrainStep(train, data, 100), seconds, warmup: 20);
        Report("sdgm-shaped unlabeled bound, train step, B=100 (x10 classes)", step, null, rowsPerSecond: 100 / step);
        var infer = new Graph(gradients: false);
        double inf = Measure.Median(() => w.Infer(infer, data, 1000), seconds, warmup: 20);
        Report("sdgm-shaped unlabeled bound + q(y|x), no-grad, B=1000 (x10)", inf, null, rowsPerSecond: 1000 / inf);
    }

    private static void Report(string name, double seconds, double? gflops, double? rowsPerSecond = null)
    {
        if (_json)
        {
            Console.WriteLine(FormattableString.Invariant($"{{\"name\": \"{name}\", \"median_us\": {seconds * 1e6:F2}{(gflops is { } gf ? FormattableString.Invariant($", \"gflops\": {gf:F2}") : "")}}}"));
            return;
        }

        var extra = gflops is { } f ? FormattableString.Invariant($"  {f,7:F1} GFLOP/s") : "";
        if (rowsPerSecond is { } rps) extra += FormattableString.Invariant($"  {rps / 1e6,6:F2} M rows/s");
        Console.WriteLine(FormattableString.Invariant($"{name,-52} {seconds * 1e6,10:F1} µs{extra}"));
    }
}
