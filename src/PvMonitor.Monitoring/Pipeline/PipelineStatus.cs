namespace PvMonitor.Monitoring.Pipeline;

/// <summary>A snapshot of the pipeline for <c>/readyz</c> and the operator page.</summary>
/// <param name="Running">True between start and the end of the drain.</param>
/// <param name="StoreHealthy">False while the last store write failed (it is being retried).</param>
/// <param name="LastStoreError">Message of the last failed store write, or null.</param>
/// <param name="ModelVersion">Version of the active model.</param>
/// <param name="MessagesReceived">Messages taken from the input queue.</param>
/// <param name="SamplesStored">Valid samples durably stored.</param>
/// <param name="DeadLetters">Messages dead-lettered.</param>
/// <param name="AlertsStored">Alerts stored.</param>
/// <param name="InputQueueDepth">Messages waiting in the input queue.</param>
public sealed record PipelineStatus(
    bool Running,
    bool StoreHealthy,
    string? LastStoreError,
    string ModelVersion,
    long MessagesReceived,
    long SamplesStored,
    long DeadLetters,
    long AlertsStored,
    int InputQueueDepth);
