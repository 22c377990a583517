using PvMonitor.Monitoring.Configuration;

namespace PvMonitor.Hosting.Options;

/// <summary>The model that scores telemetry (section <c>Model</c>).</summary>
public sealed class ModelOptions : ISectionOptions
{
    /// <inheritdoc />
    public static string SectionName => "Model";

    /// <summary>Model directory (with <c>manifest.json</c>). Default <c>models/default</c>, the shipped model, resolved against the
    /// working directory and then the installation directory.</summary>
    public string Path { get; set; } = "models/default";

    /// <summary>Where the model scores: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>auto</c> (default: CUDA when TorchSharp reports
    /// a usable GPU, else CPU). Asking for CUDA where there is none stops start-up with exit code 2.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>libtorch CPU threads for scoring, 1–256 (default 1: the worker shares its cores with its pipeline, the broker
    /// and the database; one thread per scoring call cannot collapse under contention).</summary>
    public int Threads { get; set; } = PvMonitor.Learning.Torch.TorchRuntime.DefaultWorkerThreads;

    /// <summary>The anomaly score that flags samples (default <c>elbo</c>): <c>elbo</c> (the ELBO U(x)), <c>iw-elbo</c> (the
    /// importance-weighted bound, 16 samples) or <c>lk</c> (BIVA's L^{&gt;k}: z1 from the prior, so only the upper latent's
    /// structure decides), each against the model's own threshold for it (nats). A model without a threshold for the chosen
    /// score (trained before per-score thresholds, or an mlp/mlr for iw-elbo/lk) stops start-up with exit code 2. The stored
    /// ELBO stays the ELBO whichever score flags.</summary>
    public string AnomalyScore { get; set; } = "elbo";

    /// <summary>The parsed <see cref="AnomalyScore"/> (valid after <see cref="Validate"/>).</summary>
    public PvMonitor.Learning.Models.AnomalyScore Score => PvMonitor.Learning.Models.AnomalyScores.Parse(AnomalyScore);

    /// <inheritdoc />
    public IReadOnlyList<string> Validate() => Problems().ToList();

    private IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Path)) yield return "Model:Path must not be empty.";
        var device = (Device ?? "").Trim().ToLowerInvariant();
        if (device is not ("auto" or "cpu" or "cuda") && !(device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(device.AsSpan(5), out var index) && index >= 0))
            yield return $"Model:Device: '{Device}' is not a device ({PvMonitor.Learning.Torch.TorchRuntime.DeviceHelp}).";
        if (Threads is < 1 or > 256) yield return $"Model:Threads: {Threads} is outside 1–256.";
        if (!PvMonitor.Learning.Models.AnomalyScores.TryParse(AnomalyScore, out _))
            yield return $"Model:AnomalyScore: '{AnomalyScore}' is not an anomaly score ({PvMonitor.Learning.Models.AnomalyScores.NameList}).";
    }
}
