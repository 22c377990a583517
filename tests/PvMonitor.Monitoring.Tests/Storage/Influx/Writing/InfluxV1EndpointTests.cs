using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;
using PvMonitor.Monitoring.Storage.Influx.Writing;
using PvMonitor.Monitoring.Tests.Storage.Influx.TestSupport;

namespace PvMonitor.Monitoring.Tests.Storage.Influx.Writing;

public class InfluxV1EndpointTests
{
    private static readonly byte[] Lines = "pv,plant=p1 v=1.5 1700000000000\npv,plant=p2 v=2 1700000000001\n"u8.ToArray();

    private static string Gunzip(byte[] body)
    {
        using var gz = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task V1_request_shape_with_database_retention_policy_precision_and_basic_auth()
    {
        await using var server = new FakeHttpServer();
        var options = new InfluxOptions
        {
            Url = server.Url, Version = 1, Database = "pv db", RetentionPolicy = "one_week", Username = "writer", Password = "p@ss", Gzip = false,
        };
        using var endpoint = new InfluxV1Endpoint(options);

        (await endpoint.WriteAsync(Lines, WritePrecision.Milliseconds, CancellationToken.None)).IsWritten.Should().BeTrue();
        (await endpoint.WriteAsync(Lines, WritePrecision.Microseconds, CancellationToken.None)).IsWritten.Should().BeTrue();

        var requests = server.Requests;
        requests[0].Target.Should().Be("/write?db=pv%20db&rp=one_week&precision=ms");
        requests[1].Target.Should().Be("/write?db=pv%20db&rp=one_week&precision=u", "1.x spells microseconds 'u'");
        requests[0].Headers["Authorization"].Should().Be("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("writer:p@ss")));
        requests[0].Headers.Should().NotContainKey("Content-Encoding");
        requests[0].Body.Should().Equal(Lines);
    }

    [Fact]
    public async Task Responses_map_to_statuses_with_the_servers_message_and_retry_after()
    {
        await using var server = new FakeHttpServer();
        server.Respond(400, "{\"error\":\"partial write: unable to parse 'x': invalid field format dropped=0\"}");
        server.Respond(400, "{\"code\":\"invalid\",\"message\":\"failed to parse line protocol\"}");
        server.Respond(429, "", "Retry-After: 7\r\n");
        server.Respond(503, "", "Retry-After: Wed, 01 Jan 2031 00:00:30 GMT\r\n");
        server.Respond(413, "{\"error\":\"Request Entity Too Large\"}");
        server.Respond(404, "{\"error\":\"database not found: \\\"pv\\\"\"}");
        server.Respond(500, "", "X-Influxdb-Error: engine: cache-max-memory-size exceeded\r\n");
        server.Respond(422, "{\"code\":\"unprocessable entity\",\"message\":\"points beyond retention policy\"}");
        var time = new FakeTimeProvider(new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var endpoint = new InfluxV1Endpoint(new InfluxOptions { Url = server.Url, Version = 1, Gzip = false }, timeProvider: time);

        async Task<WriteResult> Send() => await endpoint.WriteAsync(Lines, WritePrecision.Milliseconds, CancellationToken.None);
        (await Send()).Should().Be(new WriteResult(WriteStatus.Rejected, 400, "partial write: unable to parse 'x': invalid field format dropped=0", null));
        (await Send()).Should().Be(new WriteResult(WriteStatus.Rejected, 400, "failed to parse line protocol", null));
        (await Send()).Should().Be(new WriteResult(WriteStatus.Retryable, 429, "HTTP 429 X", TimeSpan.FromSeconds(7)));
        (await Send()).RetryAfter.Should().Be(TimeSpan.FromSeconds(30));
        (await Send()).Status.Should().Be(WriteStatus.TooLarge);
        (await Send()).Should().Be(new WriteResult(WriteStatus.Failed, 404, "database not found: \"pv\"", null));
        (await Send()).Should().Be(new WriteResult(WriteStatus.Retryable, 500, "engine: cache-max-memory-size exceeded", null));
        (await Send()).Should().Be(new WriteResult(WriteStatus.Rejected, 422, "points beyond retention policy", null));
    }

    [Fact]
    public async Task A_refused_connection_is_retryable()
    {
        var port = PvMonitor.Testing.ExternalProgram.FreeTcpPort();
        using var endpoint = new InfluxV1Endpoint(new InfluxOptions { Url = $"http://127.0.0.1:{port}", Version = 1, RequestTimeoutMs = 2000 });
        var result = await endpoint.WriteAsync(Lines, WritePrecision.Milliseconds, CancellationToken.None);
        result.Status.Should().Be(WriteStatus.Retryable);
        result.HttpStatus.Should().Be(0);
        result.Message.Should().StartWith("connection failed");
    }
}
