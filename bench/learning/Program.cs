using System.Globalization;
using System.Runtime.Intrinsics.X86;
using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Nn;
using PvMonitor.Learning.Optim;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Bench.Learning;

/// <summary>
/// Learning-engine benchmarks (Stopwatch harness, medians). Usage:
/// <c>dotnet run -c Release --project bench/learning -- [--seconds S] [--json] [--filter matmul|mlp|sdgm]</c>.
/// Threads: environment variable PVML_THREADS (default: all cores, at most 8).
/// </summary>
internal static class Program
{
    private static bool _json;
    private static string? _filter;

    private static bool Selected(string name) => _filter is null || name.Contains(_filter, StringComparison.OrdinalIgnoreCase);

    public static int Main(string[] args)
    {
        double seconds = 2.0;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--json") _json = true;
            else if (args[i] == "--seconds") seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--filter") _filter = args[++i];
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
        if (!Selected("matmul")) return;
        var r = new RandomSource(1);
        var a = Tensor.Uniform(r, m, k, -1f, 1f);
        var b = Tensor.Uniform(r, k, n, -1f, 1f);
        var g = new Graph(gradients: false);
        var t = Measure.Run(() =>
        {
            g.Reset();
            g.MatMul(a, b);
        }, seconds);
        Report($"matmul {m}x{k}*{k}x{n}", t, 2.0 * m * n * k / t.Median / 1e9);
    }

    private static void MlpStep(int batch, double seconds)
    {
        if (!Selected("mlp")) return;
        var r = new RandomSource(1);
        var mlp = new MlpBuilder(6).Hidden(50).Hidden(50).Output(10).Build(r);
        var adam = new Adam(mlp, new AdamOptions { LearningRate = 1e-3f });
        var g = new Graph();
        var x = new float[batch * 6];
        r.FillNormal(x);
        var labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = r.NextInt(10);
        var t = Measure.Run(() =>
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
        if (!Selected("mlp")) return;
        var r = new RandomSource(1);
        var mlp = new MlpBuilder(6).Hidden(50).Hidden(50).Output(10).Build(r);
        var g = new Graph(gradients: false);
        var x = new float[batch * 6];
        r.FillNormal(x);
        var t = Measure.Run(() =>
        {
            g.Reset();
            g.Softmax(mlp.Forward(g, g.Input(x, batch, 6)));
        }, seconds);
        Report($"mlp 6-50-50-10 forward+softmax no-grad, batch {batch}", t, null, rowsPerSecond: batch / t.Median);
    }

    private static void Sdgm(double seconds)
    {
        if (!Selected("sdgm")) return;
        var w = new SdgmShapedWorkload();
        var data = SdgmShapedWorkload.Data(1000);
        var train = new Graph();
        var step = Measure.Run(() => w.TrainStep(train, data, 100), seconds, warmup: 20);
        Report("sdgm-shaped unlabeled bound, train step, B=100 (x10 classes)", step, null, rowsPerSecond: 100 / step.Median);
        var infer = new Graph(gradients: false);
        var inf = Measure.Run(() => w.Infer(infer, data, 1000), seconds, warmup: 20);
        Report("sdgm-shaped unlabeled bound + q(y|x), no-grad, B=1000 (x10)", inf, null, rowsPerSecond: 1000 / inf.Median);
    }

    private static void Report(string name, (double Median, double Min) t, double? gflops, double? rowsPerSecond = null)
    {
        if (_json)
        {
            var gf = gflops is { } g ? FormattableString.Invariant($", \"gflops\": {g:F2}") : "";
            var rps = rowsPerSecond is { } r ? FormattableString.Invariant($", \"rows_per_s\": {r:F0}") : "";
            Console.WriteLine(FormattableString.Invariant($"{{\"name\": \"{name}\", \"median_us\": {t.Median * 1e6:F2}, \"min_us\": {t.Min * 1e6:F2}{gf}{rps}}}"));
            return;
        }

        var extra = gflops is { } f ? FormattableString.Invariant($"  {f,7:F1} GFLOP/s") : "";
        if (rowsPerSecond is { } rows) extra += FormattableString.Invariant($"  {rows,10:F0} rows/s");
        Console.WriteLine(FormattableString.Invariant($"{name,-62} median {t.Median * 1e6,9:F1} µs  min {t.Min * 1e6,9:F1} µs{extra}"));
    }
}
