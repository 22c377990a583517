namespace PvMonitor.Hosting;

/// <summary>Where retraining stands (<c>GET /api/retrain</c>).</summary>
/// <param name="State"><c>idle</c>, <c>running</c>, <c>accepted</c> (candidate activated), <c>rejected</c> (kept in the registry, not activated), <c>failed</c>, <c>cancelled</c>.</param>
/// <param name="Phase">While running: <c>reading data</c>, <c>training</c>, <c>validating</c>, <c>activating</c>.</param>
/// <param name="Reason">Why it was started.</param>
/// <param name="RequestedBy">Who started it.</param>
/// <param name="Started">When (UTC).</param>
/// <param name="Finished">When it ended (UTC).</param>
/// <param name="Epoch">Epochs done.</param>
/// <param name="MaxEpochs">Most epochs.</param>
/// <param name="EtaSeconds">Estimated seconds of training left (at most; early stopping may end it sooner).</param>
/// <param name="Candidate">The trained version, once registered.</param>
/// <param name="Outcome">The gate's reason, or the failure.</param>
/// <param name="Log">The last lines of its log.</param>
public sealed record RetrainStatus(string State, string? Phase, string? Reason, string? RequestedBy, DateTimeOffset? Started, DateTimeOffset? Finished,
    int Epoch, int MaxEpochs, double? EtaSeconds, string? Candidate, string? Outcome, IReadOnlyList<string> Log)
{
    /// <summary>Nothing has run since the worker started.</summary>
    public static RetrainStatus Idle { get; } = new("idle", null, null, null, null, null, 0, 0, null, null, null, []);

    /// <summary>True while a retraining runs.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsRunning => State == "running";
}
