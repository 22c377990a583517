using PvMonitor.Learning.Models;
using PvMonitor.Monitoring.Scoring;

namespace PvMonitor.Hosting;

/// <summary>The model the worker scores with, where it was loaded from, and its scorer.</summary>
/// <param name="Model">The loaded model.</param>
/// <param name="Path">Its directory.</param>
/// <param name="Scorer">The scorer built on it (class posteriors, ELBO, anomaly threshold).</param>
public sealed record ActiveModel(IConditionModel Model, string Path, ConditionScorer Scorer)
{
    /// <summary>The model's manifest.</summary>
    public ModelManifest Manifest => Model.Manifest;
}
