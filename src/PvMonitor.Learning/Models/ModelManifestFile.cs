using System.Text.Json;

namespace PvMonitor.Learning.Models;

/// <summary>Reads and writes <c>manifest.json</c> in a model directory.</summary>
public static class ModelManifestFile
{
    /// <summary>The manifest's file name inside a model directory.</summary>
    public const string FileName = "manifest.json";

    /// <summary>Writes the manifest to <paramref name="stream"/> as indented UTF-8 JSON.</summary>
    public static void Write(Stream stream, ModelManifest manifest) =>
        JsonSerializer.Serialize(stream, manifest, ModelManifest.JsonOptions);

    /// <summary>Replaces <c>manifest.json</c> in <paramref name="directory"/> atomically (a flushed temporary file, then a rename).</summary>
    public static void Replace(string directory, ModelManifest manifest)
    {
        var path = Path.Combine(directory, FileName);
        using (var stream = File.Create(path + ".tmp"))
        {
            Write(stream, manifest);
            stream.Flush(flushToDisk: true);
        }

        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Reads and checks a manifest.</summary>
    /// <param name="stream">The JSON.</param>
    /// <param name="source">Where it came from, for error messages.</param>
    /// <exception cref="ModelFormatException">Malformed JSON, an unknown format version, or inconsistent fields.</exception>
    public static ModelManifest Read(Stream stream, string source)
    {
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(stream, ModelManifest.JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException($"{source}: not a valid model manifest ({ex.Message}).", ex);
        }

        if (manifest is null) throw new ModelFormatException($"{source}: the manifest is empty.");
        if (manifest.FormatVersion == 1)
            throw new ModelFormatException($"{source}: this model was trained with PvMonitor's previous learning engine (weights.bin), which this version no longer reads. Retrain it with 'pvmonitor train' (same data and options), or use a model directory written by this version.");
        if (manifest.FormatVersion != ModelManifest.CurrentFormatVersion)
            throw new ModelFormatException($"{source}: manifest format {manifest.FormatVersion} is not supported (this build reads format {ModelManifest.CurrentFormatVersion}).");
        if (manifest.Features.Count == 0) throw new ModelFormatException($"{source}: 'features' is empty.");
        if (manifest.Classes.Count < 1) throw new ModelFormatException($"{source}: 'classes' is empty.");
        if (manifest.Normalisation.Mean.Count != manifest.Features.Count || manifest.Normalisation.Std.Count != manifest.Features.Count)
            throw new ModelFormatException($"{source}: 'normalisation' has {manifest.Normalisation.Mean.Count} means and {manifest.Normalisation.Std.Count} stds for {manifest.Features.Count} features.");
        return manifest;
    }

    /// <summary>Reads <c>manifest.json</c> from <paramref name="directory"/>.</summary>
    /// <exception cref="ModelFormatException">The directory or manifest is missing or invalid.</exception>
    public static ModelManifest ReadFromDirectory(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!Directory.Exists(directory)) throw new ModelFormatException($"Model directory '{directory}' does not exist.");
        if (!File.Exists(path)) throw new ModelFormatException($"'{directory}' is not a model directory: {FileName} is missing.");
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }
}
