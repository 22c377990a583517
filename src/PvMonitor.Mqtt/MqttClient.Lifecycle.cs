using Polly.Retry;
using PvMonitor.Mqtt.Packets;
using PvMonitor.Mqtt.Session;

namespace PvMonitor.Mqtt;

/// <summary>The connection lifecycle of <see cref="MqttClient"/>: establish, supervise, reconnect, restore.</summary>
public sealed partial class MqttClient
{
    /// <summary>Opens a connection, makes it current, resends pending publishes and, when the broker lost our session, restores subscriptions.</summary>
    private async Task<MqttConnection> EstablishAsync(bool isReconnect, CancellationToken cancellationToken)
    {
        var connection = await MqttConnection.OpenAsync(_channelFactory, _options, _messages.Writer, this, _topics, _counters, _time, _logger,
            cancellationToken).ConfigureAwait(false);
        var sessionPresent = connection.ConnAck.SessionPresent;
        try
        {
            connection.Start();
            int resent;
            lock (_gate)
            {
                _connection = connection;
                _sessionPresent = sessionPresent;
                _connectedSince = _time.GetUtcNow();
                _sendWindow = Math.Min(_options.MaxInflightPublishes, connection.ConnAck.ReceiveMaximum ?? ushort.MaxValue);
                resent = _publishes.Count;
                PumpLocked(connection);
            }

            MqttLog.Connected(_logger, _options.Host, _options.Port, connection.ConnAck.AssignedClientIdentifier ?? _options.ClientId,
                _options.ProtocolVersion == MqttProtocolVersion.V500 ? "5" : "3.1.1", sessionPresent);
            if (resent > 0)
                MqttLog.Resending(_logger, resent);
            if (!sessionPresent)
                await RestoreSubscriptionsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            connection.Abort(new MqttCommunicationException("Connection setup was interrupted."));
            OnConnectionLost(connection);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (isReconnect)
            Interlocked.Increment(ref _reconnectCount);
        SetState(MqttConnectionState.Connected, null);
        return connection;
    }

    private async Task RestoreSubscriptionsAsync(CancellationToken cancellationToken)
    {
        MqttTopicFilter[] filters;
        lock (_gate)
            filters = _subscriptions.ToArray();
        if (filters.Length == 0)
            return;
        try
        {
            for (var start = 0; start < filters.Length; start += RestoreChunk)
            {
                var chunk = filters[start..Math.Min(filters.Length, start + RestoreChunk)];
                var answer = (SubAckPacket)await SendRequestAsync(new SubscribePacket { TopicFilters = chunk }, cancellationToken).ConfigureAwait(false);
                if (answer.ReasonCodes.Any(code => (byte)code >= 0x80))
                {
                    var refused = new MqttSubscribeException(chunk, answer.ReasonCodes);
                    MqttLog.SubscriptionRestoreFailed(_logger, refused);
                    RecordError(refused);
                }
            }

            MqttLog.SubscriptionsRestored(_logger, filters.Length);
        }
        catch (MqttException ex)
        {
            // The connection dropped meanwhile (the supervisor will reconnect and try again) or the broker misbehaved.
            MqttLog.SubscriptionRestoreFailed(_logger, ex);
            RecordError(ex);
        }
    }

    private async Task SuperviseAsync(MqttConnection connection, CancellationToken stopping)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = stopping.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), stopped).ConfigureAwait(false);
        while (true)
        {
            await Task.WhenAny(connection.Closed, stopped.Task).ConfigureAwait(false);
            if (stopping.IsCancellationRequested)
            {
                await connection.DisconnectAsync(DisconnectGrace).ConfigureAwait(false);
                OnConnectionLost(connection);
                await connection.DisposeAsync().ConfigureAwait(false);
                return;
            }

            var reason = await connection.Closed.ConfigureAwait(false);
            OnConnectionLost(connection);
            await connection.DisposeAsync().ConfigureAwait(false);
            RecordError(reason);
            MqttLog.ConnectionLost(_logger, reason);
            SetState(MqttConnectionState.Reconnecting, reason);
            try
            {
                connection = await _reconnect.ExecuteAsync(
                    static async (client, token) => await client.EstablishAsync(isReconnect: true, token).ConfigureAwait(false),
                    this, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Forgets <paramref name="connection"/>: publishes go back to the queue (DUP), SUBSCRIBE/UNSUBSCRIBE waiting for an answer fail.</summary>
    private void OnConnectionLost(MqttConnection connection)
    {
        List<TaskCompletionSource<MqttPacket>> failed;
        lock (_gate)
        {
            if (_connection != connection)
                return;
            _connection = null;
            _connectedSince = null;
            _publishes.Requeue();
            failed = [.. _requests.Values];
            foreach (var packetId in _requests.Keys)
                _packetIds.Release(packetId);
            _requests.Clear();
        }

        foreach (var request in failed)
            request.TrySetException(new MqttCommunicationException("The connection was lost before the broker answered."));
    }

    private ValueTask OnReconnectFailed(OnRetryArguments<object> args)
    {
        Interlocked.Increment(ref _failedAttempts);
        if (args.Outcome.Exception is { } error)
            RecordError(error);
        MqttLog.ReconnectFailed(_logger, args.AttemptNumber + 1, args.RetryDelay.TotalSeconds, args.Outcome.Exception);
        return ValueTask.CompletedTask;
    }
}
