using System.Security.Cryptography;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models.Classifiers;
using PvMonitor.Learning.Models.Latent;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Torch;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Models;

/// <summary>
/// A model on disk is a directory with <c>manifest.json</c> (see <see cref="ModelManifest"/>) and <c>weights.pt</c>, the
/// network's state dict in PyTorch's format (<c>torch.load</c> reads it; the names are the module paths, e.g.
/// <c>q_z1.body.0.weight</c>). The manifest records the weights' SHA-256, so a damaged file is refused before it is
/// parsed. Saving writes a sibling temporary directory and renames it into place, so a crash never leaves a
/// half-written model; loading checks everything before returning a model.
/// </summary>
public static class ModelDirectory
{
    /// <summary>The weights file's name inside a model directory.</summary>
    public const string WeightsFileName = "weights.pt";

    /// <summary>The weights format recorded in the manifest.</summary>
    public const string WeightsFormat = "pytorch-state-dict";

    /// <summary>Writes <paramref name="model"/> to <paramref name="directory"/>, replacing an existing model there.</summary>
    /// <param name="directory">The model directory.</param>
    /// <param name="model">The model.</param>
    /// <param name="snapshot">Its training snapshot (<see cref="TrainingSnapshot.Sample"/>), written beside the weights; null for none.</param>
    /// <param name="rowsPerClass">The per-class bound the snapshot was sampled with (recorded in the manifest).</param>
    /// <returns>The manifest as written (with the weights' and snapshot's checksums).</returns>
    public static ModelManifest Save(string directory, IConditionModel model, TabularData? snapshot = null, int rowsPerClass = TrainingSnapshot.DefaultRowsPerClass)
    {
        ArgumentNullException.ThrowIfNull(model);
        var full = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}");
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        try
        {
            var weightsPath = Path.Combine(temp, WeightsFileName);
            using (var weights = File.Create(weightsPath))
            {
                NetworkOf(model).save_py(weights, leaveOpen: true);
                weights.Flush(flushToDisk: true);
            }

            var manifest = model.Manifest with
            {
                Weights = new WeightsInfo(WeightsFileName, WeightsFormat, Sha256(weightsPath)),
                Snapshot = snapshot is null ? null : WriteSnapshot(temp, snapshot, rowsPerClass),
            };
            using (var stream = File.Create(Path.Combine(temp, ModelManifestFile.FileName)))
            {
                ModelManifestFile.Write(stream, manifest);
                stream.Flush(flushToDisk: true);
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

            return manifest;
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    /// <summary>Loads a model directory.</summary>
    /// <param name="directory">The model directory.</param>
    /// <param name="elboSamples">Monte-Carlo samples per ELBO when scoring (latent kinds; default 1).</param>
    /// <param name="device">Where to put the weights (default CPU).</param>
    /// <exception cref="ModelFormatException">Missing files, a checksum mismatch, a corrupt weights file, an unknown kind,
    /// weights that do not fit the manifest's architecture, or a model of the previous engine.</exception>
    /// <exception cref="TorchUnavailableException">libtorch could not be loaded.</exception>
    public static IConditionModel Load(string directory, int elboSamples = 1, Device? device = null)
    {
        var manifest = ModelManifestFile.ReadFromDirectory(directory);
        var info = manifest.Weights ?? throw new ModelFormatException($"{Path.Combine(directory, ModelManifestFile.FileName)}: 'weights' is missing.");
        var weightsPath = VerifiedFile(directory, "weights.file", info.File, info.Sha256);

        TorchRuntime.EnsureLoaded();
        var standardizer = new Standardizer(manifest.Normalisation.Mean.ToArray(), manifest.Normalisation.Std.ToArray());
        using var init = new Generator(1, CPU); // initial weights are overwritten by the file
        nn.Module? network = null;
        try
        {
            var kind = ModelKinds.Find(manifest.Kind)
                ?? throw new ModelFormatException($"{directory}: unknown model kind '{manifest.Kind}' (expected {ModelKinds.NamesText}).");
            if (kind.IsLatent)
            {
                var options = ModelHyperparameters.ToSdgmOptions(manifest.Hyperparameters, manifest.Prior);
                var latent = LatentNetworkFactory.Create(kind.Name, manifest.Features.Count, manifest.Classes.Count, options, init);
                network = latent.Module;
                LoadWeights(latent.Module, weightsPath);
                return latent is SdgmNetwork sdgm
                    ? new SdgmModel(sdgm, standardizer, manifest, device, elboSamples)
                    : new LatentModel(latent, standardizer, manifest, device, elboSamples);
            }

            var classifier = new ClassifierNetwork(manifest.Features.Count, manifest.Classes.Count, ModelHyperparameters.ToClassifierOptions(manifest.Hyperparameters), init);
            network = classifier;
            LoadWeights(classifier, weightsPath);
            return new ClassifierModel(classifier, standardizer, manifest, device);
        }
        catch (ArgumentException ex)
        {
            network?.Dispose();
            throw new ModelFormatException($"{directory}: {ex.Message}", ex);
        }
        catch (ModelFormatException)
        {
            network?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Adds a training snapshot to an existing model directory (a model trained before snapshots were kept): the snapshot
    /// file is written, then the manifest is replaced atomically; the weights are not touched.
    /// </summary>
    /// <exception cref="ModelFormatException">The directory holds no valid model.</exception>
    /// <exception cref="ArgumentException">The snapshot's features differ from the model's.</exception>
    public static ModelManifest AttachSnapshot(string directory, TabularData snapshot, int rowsPerClass)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var manifest = ModelManifestFile.ReadFromDirectory(directory);
        if (!snapshot.FeatureNames.SequenceEqual(manifest.Features, StringComparer.Ordinal))
            throw new ArgumentException($"The snapshot's features ({string.Join(",", snapshot.FeatureNames)}) differ from the model's ({string.Join(",", manifest.Features)}).", nameof(snapshot));
        var updated = manifest with { Snapshot = WriteSnapshot(directory, snapshot, rowsPerClass) };
        ModelManifestFile.Replace(directory, updated);
        return updated;
    }

    /// <summary>The training snapshot of the model in <paramref name="directory"/>, or null when it has none.</summary>
    /// <exception cref="ModelFormatException">The snapshot file is missing, fails its checksum or cannot be read.</exception>
    public static TabularData? ReadSnapshot(string directory, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Snapshot is not { } info) return null;
        var path = VerifiedFile(directory, "snapshot.file", info.File, info.Sha256);
        try
        {
            using var stream = File.OpenRead(path);
            return TrainingSnapshot.Read(stream, manifest.Features);
        }
        catch (DataFormatException ex)
        {
            throw new ModelFormatException($"{path}: {ex.Message}");
        }
    }

    /// <summary>
    /// The path of <paramref name="file"/> (named by manifest field <paramref name="field"/>) in <paramref name="directory"/>
    /// after checking that it is a plain file name, exists, and has the SHA-256 the manifest records.
    /// </summary>
    /// <exception cref="ModelFormatException">It is not a file name, is missing, or its checksum differs (damaged or replaced).</exception>
    public static string VerifiedFile(string directory, string field, string file, string sha256)
    {
        if (file != Path.GetFileName(file) || file.Length == 0)
            throw new ModelFormatException($"{directory}: '{field}' must be a file name in the model directory (was '{file}').");
        var path = Path.Combine(directory, file);
        if (!File.Exists(path)) throw new ModelFormatException($"'{directory}' is not a complete model: {file} is missing.");
        if (!string.Equals(Sha256(path), sha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelFormatException($"{path}: the file's SHA-256 does not match the manifest (damaged or replaced); refusing it.");
        return path;
    }

    /// <summary>SHA-256 (lower-case hex) of a file's bytes.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static SnapshotInfo WriteSnapshot(string directory, TabularData snapshot, int rowsPerClass)
    {
        var path = Path.Combine(directory, TrainingSnapshot.FileName);
        using (var file = File.Create(path + ".tmp"))
        {
            TrainingSnapshot.Write(file, snapshot);
            file.Flush(flushToDisk: true);
        }

        File.Move(path + ".tmp", path, overwrite: true);
        var rows = snapshot.Labels.Count(l => l is not null);
        return new SnapshotInfo(TrainingSnapshot.FileName, Sha256(path), rows, rowsPerClass);
    }

    private static void LoadWeights(nn.Module network, string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            network.load_py(stream, strict: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not ModelFormatException)
        {
            // libtorch appends its C++ stack to the message: keep the first line.
            var reason = ex.Message.Split('\n', 2)[0].Trim();
            throw new ModelFormatException($"{path} does not fit the architecture in {ModelManifestFile.FileName}: {reason}", ex);
        }
    }

    private static nn.Module NetworkOf(IConditionModel model) => model switch
    {
        LatentModel l => l.Module,
        ClassifierModel c => c.Network,
        _ => throw new ArgumentException($"Cannot save a {model.GetType().Name}.", nameof(model)),
    };
}
