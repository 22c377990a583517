using System.Diagnostics;
using System.Text.Json;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Tests.Models;
using PvMonitor.Learning.Training;

namespace PvMonitor.Learning.Tests.Interop;

/// <summary>
/// A saved model is a plain PyTorch state dict: Debian's python3-torch loads weights.pt and, from the state dict's names
/// alone, computes the same class posterior (and SDGM latent means) as .NET to 1e-5.
/// </summary>
public sealed class PyTorchInteropTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"pvmon-interop-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [RequiresPythonTorchTheory]
    [InlineData("sdgm")]
    [InlineData("mlp")]
    public void PyTorch_loads_the_weights_and_scores_like_dotnet(string kind)
    {
        var table = ModelLifecycleTests.Table(40, 3, 1);
        var request = new TrainRequest
        {
            Kind = kind,
            Seed = 5,
            Sdgm = new SdgmOptions { Z1 = 3, Z2 = 2, Hidden = 12, Epochs = 3, Patience = 0 },
            Classifier = Learning.Models.Classifiers.ClassifierOptions.Mlp with { Epochs = 3 },
            TrainingDataHash = new string('b', 64),
        };
        var model = ConditionModelTrainer.Train(table, request);
        ModelDirectory.Save(_dir, model);

        const int rows = 25;
        var raw = table.Features.AsSpan(0, rows * 6).ToArray();
        var probabilities = new float[rows * 3];
        model.Score(raw, rows, probabilities, [], []);
        var input = Enumerable.Range(0, rows).Select(r => raw.Skip(r * 6).Take(6).ToArray()).ToArray();

        var output = RunPython(Path.Combine(AppContext.BaseDirectory, "Interop", "score_with_pytorch.py"), _dir, JsonSerializer.Serialize(input));
        using var json = JsonDocument.Parse(output);
        var fromPython = json.RootElement.GetProperty("probabilities").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        fromPython.Should().HaveCount(rows * 3);
        for (int i = 0; i < fromPython.Length; i++) fromPython[i].Should().BeApproximately(probabilities[i], 1e-5f, $"probability {i}");

        if (model is SdgmModel sdgm)
        {
            var latent = sdgm.LatentMeans(raw, rows);
            var pyLatent = json.RootElement.GetProperty("latent").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray();
            for (int i = 0; i < latent.Length; i++) pyLatent[i].Should().BeApproximately(latent[i], 1e-5f, $"latent {i}");
        }
    }

    private static string RunPython(string script, string modelDir, string stdin)
    {
        var info = new ProcessStartInfo(RequiresPythonTorchTheoryAttribute.Python, [script, modelDir])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(120_000).Should().BeTrue("python3 finishes");
        process.ExitCode.Should().Be(0, stderr.Result);
        return stdout.Result;
    }
}
