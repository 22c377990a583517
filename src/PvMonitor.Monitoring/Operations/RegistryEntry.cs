using PvMonitor.Learning.Models;

namespace PvMonitor.Monitoring.Operations;

/// <summary>One version in the <see cref="ModelRegistry"/>.</summary>
/// <param name="Manifest">The model's manifest (kind, classes, metrics, threshold, training hash).</param>
/// <param name="Path">Its directory.</param>
/// <param name="Record">What the registry knows about it (origin, parent, gate outcome).</param>
/// <param name="IsActive">True for the version the worker scores with.</param>
public sealed record RegistryEntry(ModelManifest Manifest, string Path, RegistryRecord Record, bool IsActive)
{
    /// <summary>The model version (directory name).</summary>
    public string Version => Manifest.Version;
}

/// <summary>The registry's own file beside a model's manifest (<c>registry.json</c>).</summary>
/// <param name="Origin"><c>imported</c> (added from a model directory) or <c>retrained</c>.</param>
/// <param name="Parent">The version it was trained from, if any.</param>
/// <param name="Gate"><c>accepted</c>, <c>rejected</c> or null (not validated: an import).</param>
/// <param name="Reason">Why the gate decided so (or the import's note).</param>
/// <param name="LabelSnapshot">SHA-256 of the labels it was trained on, if retrained.</param>
/// <param name="Added">When it entered the registry (UTC).</param>
/// <param name="Activated">When it was last activated (UTC), if ever.</param>
/// <param name="Validation">The gate's report on held-out rows (retrained versions), else null.</param>
public sealed record RegistryRecord(string Origin, string? Parent, string? Gate, string? Reason, string? LabelSnapshot, DateTimeOffset Added, DateTimeOffset? Activated,
    Retraining.ValidationReport? Validation = null);
