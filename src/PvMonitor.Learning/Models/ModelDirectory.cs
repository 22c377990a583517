using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models.Classifiers;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Nn;
using PvMonitor.Learning.Serialization;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Models;

/// <summary>
/// A model on disk is a directory with <c>manifest.json</c> (see <see cref="ModelManifest"/>) and <c>weights.bin</c>
/// (a parameter file: magic, version, CRC-32). Saving writes a sibling temporary directory and renames it into place,
/// so a crash never leaves a half-written model; loading checks everything before returning a model.
/// </summary>
public static class ModelDirectory
{
    /// <summary>The weights file's name inside a model directory.</summary>
    public const string WeightsFileName = "weights.bin";

    /// <summary>Writes <paramref name="model"/> to <paramref name="directory"/>, replacing an existing model there.</summary>
    public static void Save(string directory, IConditionModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var full = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}");
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        using (var manifest = File.Create(Path.Combine(temp, ModelManifestFile.FileName)))
            ModelManifestFile.Write(manifest, model.Manifest);
        using (var weights = File.Create(Path.Combine(temp, WeightsFileName)))
        {
            ParameterFileWriter.Save(weights, NetworkOf(model).StateDict());
            weights.Flush(flushToDisk: true);
        }

        if (Directory.Exists(full))
        {
            var old = full + $".old-{Environment.ProcessId}";
            Directory.Move(full, old);
            Directory.Move(temp, full);
            Directory.Delete(old, recursive: true);
        }
        else
        {
            Directory.Move(temp, full);
        }
    }

    /// <summary>Loads a model directory.</summary>
    /// <param name="directory">The model directory.</param>
    /// <param name="elboSamples">Monte-Carlo samples per ELBO when scoring (SDGM; default 1).</param>
    /// <exception cref="ModelFormatException">Missing files, a corrupt or truncated weights file, an unknown kind, or
    /// weights that do not fit the manifest's architecture.</exception>
    public static IConditionModel Load(string directory, int elboSamples = 1)
    {
        var manifest = ModelManifestFile.ReadFromDirectory(directory);
        var weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(weightsPath)) throw new ModelFormatException($"'{directory}' is not a complete model: {WeightsFileName} is missing.");
        StateDict state;
        try
        {
            using var stream = File.OpenRead(weightsPath);
            state = ParameterFileReader.Load(stream);
        }
        catch (Exception ex) when (ex is ParameterFileException or EndOfStreamException or InvalidDataException)
        {
            throw new ModelFormatException($"{weightsPath}: {ex.Message}", ex);
        }

        var standardizer = new Standardizer(manifest.Normalisation.Mean.ToArray(), manifest.Normalisation.Std.ToArray());
        var random = new RandomSource(1); // initial weights are overwritten by the file
        try
        {
            switch (manifest.Kind)
            {
                case "sdgm":
                {
                    var network = new SdgmNetwork(manifest.Features.Count, manifest.Classes.Count, ModelHyperparameters.ToSdgmOptions(manifest.Hyperparameters), random);
                    network.LoadStateDict(state);
                    return new SdgmModel(network, standardizer, manifest, elboSamples);
                }

                case "mlp":
                case "mlr":
                {
                    var network = ClassifierNetwork.Build(manifest.Features.Count, manifest.Classes.Count, ModelHyperparameters.ToClassifierOptions(manifest.Hyperparameters), random);
                    network.LoadStateDict(state);
                    return new ClassifierModel(network, standardizer, manifest);
                }

                default:
                    throw new ModelFormatException($"{directory}: unknown model kind '{manifest.Kind}' (expected sdgm, mlp or mlr).");
            }
        }
        catch (StateDictMismatchException ex)
        {
            throw new ModelFormatException($"{weightsPath} does not fit the architecture in {ModelManifestFile.FileName}: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new ModelFormatException($"{directory}: {ex.Message}", ex);
        }
    }

    private static Module NetworkOf(IConditionModel model) => model switch
    {
        SdgmModel s => s.Network,
        ClassifierModel c => c.Network,
        _ => throw new ArgumentException($"Cannot save a {model.GetType().Name}.", nameof(model)),
    };
}
