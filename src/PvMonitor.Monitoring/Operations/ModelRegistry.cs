using System.Text.Json;
using PvMonitor.Learning.Models;

namespace PvMonitor.Monitoring.Operations;

/// <summary>
/// Every model version the worker has had, one directory each under <see cref="Root"/> (<c>Data:Path/models/VERSION/</c>:
/// manifest.json, weights.pt, registry.json), and which one is active (the file <c>ACTIVE</c>, replaced atomically).
/// Versions are never overwritten. Safe to read from several processes (<c>pvmonitor models</c> works offline on the same
/// folder); writes come from one worker.
/// </summary>
public sealed class ModelRegistry
{
    /// <summary>The file naming the active version.</summary>
    public const string ActiveFileName = "ACTIVE";

    /// <summary>The registry's file in each version's directory.</summary>
    public const string RecordFileName = "registry.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly TimeProvider _time;
    private readonly object _gate = new();

    /// <summary>A registry at <paramref name="root"/> (created when the first version is added).</summary>
    public ModelRegistry(string root, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = System.IO.Path.GetFullPath(root);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The registry folder.</summary>
    public string Root { get; }

    /// <summary>The active version, or null when none was activated (the worker then scores with <c>Model:Path</c>).</summary>
    public string? ActiveVersion
    {
        get
        {
            var file = System.IO.Path.Combine(Root, ActiveFileName);
            if (!File.Exists(file)) return null;
            var version = File.ReadAllText(file).Trim();
            return version.Length > 0 && Directory.Exists(PathOf(version)) ? version : null;
        }
    }

    /// <summary>Every version, oldest first (directories without a readable manifest are skipped).</summary>
    public IReadOnlyList<RegistryEntry> List()
    {
        if (!Directory.Exists(Root)) return [];
        var active = ActiveVersion;
        var entries = new List<RegistryEntry>();
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            if (System.IO.Path.GetFileName(dir).StartsWith('.')) continue;
            if (TryRead(dir, active, out var entry)) entries.Add(entry);
        }

        return entries.OrderBy(e => e.Record.Added).ThenBy(e => e.Version, StringComparer.Ordinal).ToList();
    }

    /// <summary>The version <paramref name="version"/>, or null.</summary>
    public RegistryEntry? Find(string version) =>
        IsValidVersion(version) && TryRead(PathOf(version), ActiveVersion, out var entry) ? entry : null;

    /// <summary>The version <paramref name="version"/>.</summary>
    /// <exception cref="OperationRejectedException">No such version (NotFound).</exception>
    public RegistryEntry Get(string version) =>
        Find(version) ?? throw new OperationRejectedException(RejectionKind.NotFound, "version", $"No model version {version} in the registry ({Root}).");

    /// <summary>The directory of <paramref name="version"/>.</summary>
    public string PathOf(string version) => System.IO.Path.Combine(Root, version);

    /// <summary>
    /// Copies the model in <paramref name="modelDirectory"/> into the registry under its manifest's version (written to a
    /// temporary folder, then renamed: a crash leaves no half version).
    /// </summary>
    /// <exception cref="ModelFormatException">The directory holds no complete model or its weights fail their checksum.</exception>
    /// <exception cref="OperationRejectedException">The version is already registered (Conflict).</exception>
    public RegistryEntry Add(string modelDirectory, RegistryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var manifest = ModelManifestFile.ReadFromDirectory(modelDirectory);
        if (!IsValidVersion(manifest.Version)) throw new ModelFormatException($"{modelDirectory}: version '{manifest.Version}' cannot name a registry folder.");
        VerifyWeights(modelDirectory, manifest);
        lock (_gate)
        {
            var target = PathOf(manifest.Version);
            if (Directory.Exists(target)) throw new OperationRejectedException(RejectionKind.Conflict, "version", $"Model version {manifest.Version} is already in the registry.");
            Directory.CreateDirectory(Root);
            var staging = System.IO.Path.Combine(Root, $".staging-{manifest.Version}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(staging);
            try
            {
                File.Copy(System.IO.Path.Combine(modelDirectory, ModelManifestFile.FileName), System.IO.Path.Combine(staging, ModelManifestFile.FileName));
                File.Copy(System.IO.Path.Combine(modelDirectory, manifest.Weights!.File), System.IO.Path.Combine(staging, manifest.Weights.File));
                if (manifest.Snapshot is { } snapshot)
                    File.Copy(System.IO.Path.Combine(modelDirectory, snapshot.File), System.IO.Path.Combine(staging, snapshot.File));
                var card = System.IO.Path.Combine(modelDirectory, "MODEL_CARD.md");
                if (File.Exists(card)) File.Copy(card, System.IO.Path.Combine(staging, "MODEL_CARD.md"));
                WriteRecord(staging, record);
                Directory.Move(staging, target);
            }
            catch
            {
                if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
                throw;
            }

            return Find(manifest.Version)!;
        }
    }

    /// <summary>
    /// Gives a registered version the training snapshot of the same model in <paramref name="modelDirectory"/> (same version
    /// and weights) when the registered copy has none: a model imported before snapshots were kept gets one when
    /// <c>Model:Path</c>'s copy has it. The snapshot file is copied first, then the manifest is replaced atomically.
    /// </summary>
    /// <returns>True when the snapshot was added.</returns>
    /// <exception cref="ModelFormatException">The directory's snapshot is missing or fails its checksum.</exception>
    public bool AdoptSnapshot(string modelDirectory)
    {
        var source = ModelManifestFile.ReadFromDirectory(modelDirectory);
        if (source.Snapshot is not { } snapshot || Find(source.Version) is not { } entry || entry.Manifest.Snapshot is not null) return false;
        if (!string.Equals(source.Weights?.Sha256, entry.Manifest.Weights?.Sha256, StringComparison.OrdinalIgnoreCase)) return false;
        var from = ModelDirectory.VerifiedFile(modelDirectory, "snapshot.file", snapshot.File, snapshot.Sha256);
        lock (_gate)
        {
            var to = System.IO.Path.Combine(entry.Path, System.IO.Path.GetFileName(snapshot.File));
            File.Copy(from, to + ".tmp", overwrite: true);
            File.Move(to + ".tmp", to, overwrite: true);
            ModelManifestFile.Replace(entry.Path, entry.Manifest with { Snapshot = snapshot });
        }

        return true;
    }

    /// <summary>Checks that <paramref name="version"/> exists and its weights match their checksum.</summary>
    /// <exception cref="OperationRejectedException">No such version (NotFound).</exception>
    /// <exception cref="ModelFormatException">Its files are incomplete or damaged.</exception>
    public RegistryEntry Verify(string version)
    {
        var entry = Get(version);
        VerifyWeights(entry.Path, entry.Manifest);
        return entry;
    }

    /// <summary>Makes <paramref name="version"/> the active one: <c>ACTIVE</c> is replaced atomically.</summary>
    /// <param name="version">The version.</param>
    /// <param name="verify">Check the weights' checksum first (<see cref="Verify"/>); false when the caller just loaded them, which checks it.</param>
    public RegistryEntry SetActive(string version, bool verify = true)
    {
        var entry = verify ? Verify(version) : Get(version);
        lock (_gate)
        {
            WriteRecord(entry.Path, entry.Record with { Activated = _time.GetUtcNow() });
            var file = System.IO.Path.Combine(Root, ActiveFileName);
            var temporary = file + ".tmp";
            File.WriteAllText(temporary, version + "\n");
            File.Move(temporary, file, overwrite: true);
        }

        return Find(version)!;
    }

    /// <summary>True for a version usable as a folder name (letters, digits, '-', '_', '.'; not starting with '.').</summary>
    public static bool IsValidVersion(string? version) =>
        !string.IsNullOrEmpty(version) && version.Length <= 128 && version[0] != '.' &&
        version.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static void VerifyWeights(string directory, ModelManifest manifest)
    {
        var weights = manifest.Weights ?? throw new ModelFormatException($"{directory}: the manifest names no weights file.");
        ModelDirectory.VerifiedFile(directory, "weights.file", weights.File, weights.Sha256);
        if (manifest.Snapshot is { } snapshot) ModelDirectory.VerifiedFile(directory, "snapshot.file", snapshot.File, snapshot.Sha256);
    }

    private bool TryRead(string directory, string? active, out RegistryEntry entry)
    {
        entry = null!;
        ModelManifest manifest;
        try
        {
            manifest = ModelManifestFile.ReadFromDirectory(directory);
        }
        catch (Exception ex) when (ex is ModelFormatException or IOException or JsonException)
        {
            return false;
        }

        var recordFile = System.IO.Path.Combine(directory, RecordFileName);
        RegistryRecord record;
        try
        {
            record = File.Exists(recordFile)
                ? JsonSerializer.Deserialize<RegistryRecord>(File.ReadAllText(recordFile), Json) ?? Imported(manifest)
                : Imported(manifest);
        }
        catch (JsonException)
        {
            record = Imported(manifest);
        }

        entry = new RegistryEntry(manifest, directory, record, string.Equals(active, manifest.Version, StringComparison.Ordinal));
        return true;
    }

    private static RegistryRecord Imported(ModelManifest manifest) => new("imported", null, null, null, null, manifest.Created, null);

    private static void WriteRecord(string directory, RegistryRecord record)
    {
        var file = System.IO.Path.Combine(directory, RecordFileName);
        File.WriteAllText(file + ".tmp", JsonSerializer.Serialize(record, Json));
        File.Move(file + ".tmp", file, overwrite: true);
    }
}
