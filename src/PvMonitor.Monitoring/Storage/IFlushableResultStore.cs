namespace PvMonitor.Monitoring.Storage;

/// <summary>
/// A result store that groups several <see cref="IResultStore.WriteAsync"/> calls into larger requests (InfluxDB). The pipeline
/// calls <see cref="RequestFlush"/> when it is about to wait for a write and has nothing more to hand over, so small loads are
/// not delayed by the store's batching while heavy loads still fill large requests.
/// </summary>
public interface IFlushableResultStore : IResultStore
{
    /// <summary>Starts sending whatever has been handed over; does not wait.</summary>
    void RequestFlush();
}
