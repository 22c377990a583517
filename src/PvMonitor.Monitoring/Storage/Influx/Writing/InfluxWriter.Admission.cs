using PvMonitor.Monitoring.Storage.Influx.LineProtocol;

namespace PvMonitor.Monitoring.Storage.Influx.Writing;

public sealed partial class InfluxWriter
{
    /// <summary>
    /// The slow path when every batch slot is taken: the point is encoded now (the caller may reuse the instance) and queued
    /// first-in first-out, so points enter batches, and become durable, in the order they were written.
    /// </summary>
    private ValueTask WriteWhenRoomAsync(PointData point, CancellationToken cancellationToken)
    {
        var line = new PooledBufferWriter(LineProtocolEncoder.MaxLength(point));
        try
        {
            LineProtocolEncoder.Write(line, point, _precision, point.HasTimestamp ? null : Now());
        }
        catch
        {
            line.Dispose();
            throw;
        }

        var waiter = new PendingWrite(line);
        lock (_gate)
        {
            if (_closed)
            {
                line.Dispose();
                throw new ObjectDisposedException(GetType().FullName);
            }

            waiter.Node = _waiters.AddLast(waiter);
            AdmitWaitersLocked(); // a slot may have freed since the fast path looked
        }

        if (cancellationToken.CanBeCanceled && !waiter.Accepted.Task.IsCompleted)
            waiter.Registration = cancellationToken.Register(static s => ((InfluxWriter)((object[])s!)[0]).CancelWaiter((PendingWrite)((object[])s!)[1]),
                new object[] { this, waiter });
        return new ValueTask(WaitDurableAsync(waiter));
    }

    private static async Task WaitDurableAsync(PendingWrite waiter)
    {
        Task durable;
        try
        {
            durable = await waiter.Accepted.Task.ConfigureAwait(false);
        }
        finally
        {
            await waiter.Registration.DisposeAsync().ConfigureAwait(false);
        }

        await durable.ConfigureAwait(false);
    }

    private void CancelWaiter(PendingWrite waiter)
    {
        lock (_gate)
        {
            if (waiter.Node?.List is null)
                return; // already admitted
            _waiters.Remove(waiter.Node);
            waiter.Node = null;
        }

        waiter.Line.Dispose();
        waiter.Accepted.TrySetCanceled();
    }

    /// <summary>Moves queued points into batches while slots allow, oldest first.</summary>
    private void AdmitWaitersLocked()
    {
        while (_waiters.First is { } node)
        {
            if (_current is null && !TryOpenBatchLocked())
                return;
            var waiter = node.Value;
            _waiters.RemoveFirst();
            waiter.Node = null;
            var batch = _current!;
            batch.Text.Write(waiter.Line.WrittenSpan);
            waiter.Line.Dispose();
            waiter.Accepted.TrySetResult(EndLineLocked(batch));
        }
    }

    /// <summary>A point waiting for room: its encoded line and the task that hands over its batch's durability task.</summary>
    private sealed class PendingWrite(PooledBufferWriter line)
    {
        public PooledBufferWriter Line { get; } = line;

        public TaskCompletionSource<Task> Accepted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<PendingWrite>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public void Fail(Exception error)
        {
            Line.Dispose();
            Accepted.TrySetException(error);
        }
    }
}
