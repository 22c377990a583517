using System.Buffers.Binary;
using System.Text;
using PvMonitor.Mqtt.Formatting;
using PvMonitor.Mqtt.Packets;

namespace PvMonitor.Mqtt.Session;

/// <summary>The receive path of <see cref="MqttConnection"/>: read loop, packet dispatch, back-pressure, oversized packets.</summary>
internal sealed partial class MqttConnection
{
    /// <summary>Bytes the buffer must hold for the packet at its start; for an oversized packet only its identifying prefix.</summary>
    private int PendingFrameLength()
    {
        if (!_decoder.TryReadHeaderUnbounded(_readBuffer.Data, out var header))
            return 0;
        return header.FrameLength <= _decoder.MaxPacketSize ? header.FrameLength : Math.Min(header.FrameLength, header.HeaderLength + OversizedPrefix);
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var keepAlive = _keepAlive!;
        while (true)
        {
            if (DrainBuffer(out var blocked))
            {
                // The application's queue is full: stop reading the socket until it has room (back-pressure).
                keepAlive.Pause();
                _readPaused = true;
                await _received.WriteAsync(blocked, cancellationToken).ConfigureAwait(false);
                _readPaused = false;
                keepAlive.Resume(_time.GetTimestamp());
                continue;
            }

            var read = await _channel.ReadAsync(_readBuffer.GetFreeMemory(PendingFrameLength()), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                throw new MqttCommunicationException("The broker closed the connection.");
            _readBuffer.Commit(read);
            keepAlive.OnReceived(_time.GetTimestamp());
        }
    }

    /// <summary>Handles every complete packet in the buffer. True when a message could not be queued (queue full).</summary>
    private bool DrainBuffer(out MqttMessage blocked)
    {
        blocked = default;
        while (true)
        {
            if (_discardRemaining > 0)
            {
                var skip = (int)Math.Min(_readBuffer.Length, _discardRemaining);
                _readBuffer.Consume(skip);
                _discardRemaining -= skip;
                if (_discardRemaining > 0)
                    return false;
            }

            var data = _readBuffer.Data;
            if (!_decoder.TryReadHeaderUnbounded(data, out var header))
                return false;
            if (header.FrameLength > _decoder.MaxPacketSize)
            {
                if (!TryDropOversized(header))
                    return false;
                continue;
            }

            if (data.Length < header.FrameLength)
                return false;

            var body = data.Slice(header.HeaderLength, header.RemainingLength);
            if (header.Type == MqttPacketType.Publish)
            {
                var message = Receive(header, body);
                _readBuffer.Consume(header.FrameLength);
                if (!_received.TryWrite(message))
                {
                    blocked = message;
                    return true;
                }
            }
            else
            {
                HandleControlPacket(header, body);
                _readBuffer.Consume(header.FrameLength);
            }
        }
    }

    /// <summary>
    /// A PUBLISH over <see cref="MqttClientOptions.MaxPacketSize"/> (an MQTT 3.1.1 broker may send one; an MQTT 5 broker
    /// must not): it is skipped as it streams past without buffering it, counted, logged with its topic, and a QoS 1 one is
    /// acknowledged, because failing the connection would make the broker redeliver it forever and stall all ingest.
    /// False while the bytes naming it (topic, packet id) have not arrived yet. Any other oversized packet is fatal.
    /// </summary>
    private bool TryDropOversized(in MqttFixedHeader header)
    {
        if (header.Type != MqttPacketType.Publish)
            MqttThrow.TooLarge((int)header.Type, header.FrameLength, _decoder.MaxPacketSize);
        var qos = (header.Flags >> 1) & 0x03;
        if (qos > 1)
            throw new MqttProtocolException($"An oversized PUBLISH has QoS {qos}.", MqttReasonCode.ProtocolError);

        var data = _readBuffer.Data;
        var body = data.Slice(header.HeaderLength);
        if (body.Length < 2)
            return false;
        var topicLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        var prefix = 2 + topicLength + (qos == 0 ? 0 : 2);
        if (prefix > header.RemainingLength)
            MqttThrow.Malformed("A PUBLISH topic is longer than the packet.");
        if (body.Length < prefix)
            return false;

        var topicBytes = body.Slice(2, topicLength);
        var topic = MqttUtf8.IsValid(topicBytes) ? Encoding.UTF8.GetString(topicBytes) : "(invalid UTF-8)";
        var packetId = qos == 0 ? (ushort)0 : BinaryPrimitives.ReadUInt16BigEndian(body.Slice(2 + topicLength));
        var take = Math.Min(data.Length, header.FrameLength);
        _readBuffer.Consume(take);
        _discardRemaining = header.FrameLength - take;
        Interlocked.Increment(ref _counters.OversizedDropped);
        MqttLog.OversizedDropped(_logger, topic, header.FrameLength, _decoder.MaxPacketSize);
        if (packetId != 0)
            Send(OutgoingPacket.PubAck(packetId));
        return true;
    }

    private MqttMessage Receive(in MqttFixedHeader header, ReadOnlySpan<byte> body)
    {
        var view = _decoder.DecodePublish(header, body);
        if (view.TopicAlias != 0)
            throw new MqttProtocolException("The broker used a topic alias although we allow none.", MqttReasonCode.TopicAliasInvalid);
        if (view.QoS == MqttQualityOfService.ExactlyOnce)
            throw new MqttProtocolException("The broker sent a QoS 2 message although we subscribe at QoS 1 at most.", MqttReasonCode.ProtocolError);

        var topic = _topics.GetOrAdd(view.Topic);
        var payload = view.Payload.IsEmpty ? [] : view.Payload.ToArray();
        Interlocked.Increment(ref _counters.MessagesReceived);
        if (view.QoS == MqttQualityOfService.AtMostOnce)
            return new MqttMessage(topic, payload, view.QoS, view.Retain, view.Dup, 0, null, 0);

        if (_options.AutoAcknowledge)
        {
            Send(OutgoingPacket.PubAck(view.PacketId));
            return new MqttMessage(topic, payload, view.QoS, view.Retain, view.Dup, view.PacketId, null, 0);
        }

        var delivery = ++_deliveries;
        lock (_ackGate)
            _awaitingAck[view.PacketId] = delivery;
        return new MqttMessage(topic, payload, view.QoS, view.Retain, view.Dup, view.PacketId, this, delivery);
    }

    private void HandleControlPacket(in MqttFixedHeader header, ReadOnlySpan<byte> body)
    {
        switch (header.Type)
        {
            case MqttPacketType.PubAck:
                var packetId = _decoder.DecodePubAck(body, out var reasonCode);
                _handler.OnPubAck(this, packetId, reasonCode);
                break;
            case MqttPacketType.PingResp:
                _decoder.Decode(header, body);
                break;
            case MqttPacketType.SubAck:
                var subAck = (SubAckPacket)_decoder.Decode(header, body);
                _handler.OnRequestAnswered(this, subAck.PacketId, subAck);
                break;
            case MqttPacketType.UnsubAck:
                var unsubAck = (UnsubAckPacket)_decoder.Decode(header, body);
                _handler.OnRequestAnswered(this, unsubAck.PacketId, unsubAck);
                break;
            case MqttPacketType.Disconnect:
                var disconnect = (DisconnectPacket)_decoder.Decode(header, body);
                throw new MqttCommunicationException($"The broker closed the connection: {disconnect.ReasonCode} (0x{(byte)disconnect.ReasonCode:X2})"
                    + (disconnect.ReasonString is null ? "." : $": {disconnect.ReasonString}"));
            default:
                var packet = _decoder.Decode(header, body);
                throw new MqttProtocolException($"The broker sent an unexpected {packet.Type} packet.", MqttReasonCode.ProtocolError);
        }
    }
}
