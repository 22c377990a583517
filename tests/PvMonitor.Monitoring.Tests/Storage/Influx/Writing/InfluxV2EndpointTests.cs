using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PvMonitor.Monitoring.Storage.Influx;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;
using PvMonitor.Monitoring.Storage.Influx.Writing;
using PvMonitor.Monitoring.Tests.Storage.Influx.TestSupport;
using PvMonitor.Testing;

namespace PvMonitor.Monitoring.Tests.Storage.Influx.Writing;

/// <summary>
/// The v2 path (InfluxDB.Client's WriteApiAsync) against <see cref="InfluxV2StandIn"/>, an in-process stand-in for the parts of
/// the v2 API the client uses: no InfluxDB 2.x/3.x server can be installed here, so these check the request a real server
/// would receive and how its documented answers are handled, not a real server's behaviour.
/// </summary>
public class InfluxV2EndpointTests
{
    private static readonly byte[] Lines = "pv,plant=p1 v=1.5 1700000000000\npv,plant=p2 v=2 1700000000001\n"u8.ToArray();

    private static InfluxOptions Options(InfluxV2StandIn server, bool gzip = false, string? token = null, string? bucket = null) => new()
    {
        Url = server.Url,
        Version = 2,
        Org = server.Org,
        Bucket = bucket ?? server.Bucket,
        Token = token ?? server.Token,
        Gzip = gzip,
        RequestTimeoutMs = 20_000,
    };

    [Fact]
    public async Task A_batch_is_one_token_authenticated_v2_write_request_with_our_lines_unchanged()
    {
        await using var server = new InfluxV2StandIn(org: "my org", bucket: "pv/data", token: "s3cr3t==");
        using var endpoint = new InfluxV2Endpoint(Options(server));

        var result = await endpoint.WriteAsync(Lines, WritePrecision.Milliseconds, CancellationToken.None);

        result.Should().Be(WriteResult.Written);
        var request = server.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be("POST");
        request.PathAndQuery.Should().StartWith("/api/v2/write?")
            .And.Contain("org=my%20org").And.ContainEquivalentOf("bucket=pv%2Fdata").And.Contain("precision=ms");
        request.Headers["Authorization"].Should().Be("Token s3cr3t==");
        request.Headers["Content-Type"].Should().StartWith("text/plain");
        Encoding.UTF8.GetString(request.Body).TrimEnd('\n').Should().Be(Encoding.UTF8.GetString(Lines).TrimEnd('\n'));
        server.Stored.Should().Equal("pv,plant=p1 v=1.5 1700000000000", "pv,plant=p2 v=2 1700000000001");
    }

    [Theory]
    [InlineData(WritePrecision.Seconds, "s")]
    [InlineData(WritePrecision.Microseconds, "us")]
    [InlineData(WritePrecision.Nanoseconds, "ns")]
    public async Task The_precision_is_sent_in_the_v2_spelling(WritePrecision precision, string expected)
    {
        await using var server = new InfluxV2StandIn();
        using var endpoint = new InfluxV2Endpoint(Options(server));

        (await endpoint.WriteAsync(Lines, precision, CancellationToken.None)).IsWritten.Should().BeTrue();

        server.Requests.Single().PathAndQuery.Should().Contain("precision=" + expected);
    }

    [Fact]
    public async Task With_gzip_on_the_body_is_compressed_by_the_client()
    {
        await using var server = new InfluxV2StandIn();
        using var endpoint = new InfluxV2Endpoint(Options(server, gzip: true));

        (await endpoint.WriteAsync(Lines, WritePrecision.Milliseconds, CancellationToken.None)).IsWritten.Should().BeTrue();

        var request = server.Requests.Single();
        request.Headers["Content-Encoding"].Should().Be("gzip");
        using var gz = new GZipStream(new MemoryStream(request.Body), CompressionMode.Decompress);
        new StreamReader(gz).ReadToEnd().TrimEnd('\n').Should().Be(Encoding.UTF8.GetString(Lines).TrimEnd('\n'));
        server.Stored.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_wrong_token_is_a_failure_to_keep_the_data_for_not_a_rejection_of_the_data()
    {
        await using var server = new InfluxV2StandIn();
        using var endpoint = new InfluxV2Endpoint(Options(server, token: "wrong"));

        var result = await endpoint.WriteAsync(Lines, WritePrecision.Milliseconds, CancellationToken.None);

        result.Status.Should().Be(WriteStatus.Failed);
        result.HttpStatus.Should().Be(401);
        result.Message.Should().Contain("unauthorized");
        server.Stored.Should().BeEmpty();
    }

    [Fact]
    public async Task An_unknown_bucket_is_a_failure_with_the_servers_message()
    {
        await using var server = new InfluxV2StandIn();
        using var endpoint = new InfluxV2Endpoint(Options(server, bucket: "nope"));

        var result = await endpoint.WriteAsync(Lines, WritePrecision.Milliseconds, CancellationToken.None);

        result.Should().Match<WriteResult>(r => r.Status == WriteStatus.Failed && r.HttpStatus == 404);
        result.Message.Should().Contain("bucket \"nope\" not found");
    }

    [Fact]
    public async Task Answers_map_to_rejected_too_large_and_retryable_with_the_retry_after()
    {
        await using var server = new InfluxV2StandIn { MaxBodyBytes = 40 };
        using var endpoint = new InfluxV2Endpoint(Options(server));
        var small = "pv v=1 1\n"u8.ToArray();

        (await endpoint.WriteAsync(Lines, WritePrecision.Milliseconds, CancellationToken.None))
            .Should().Match<WriteResult>(r => r.Status == WriteStatus.TooLarge && r.HttpStatus == 413);
        (await endpoint.WriteAsync("pv BAD 1\n"u8.ToArray(), WritePrecision.Milliseconds, CancellationToken.None))
            .Should().Match<WriteResult>(r => r.Status == WriteStatus.Rejected && r.HttpStatus == 400 && r.Message!.Contains("unable to parse 'pv BAD 1'"));
        server.FailNext(429, retryAfterSeconds: 7);
        (await endpoint.WriteAsync(small, WritePrecision.Milliseconds, CancellationToken.None))
            .Should().Be(new WriteResult(WriteStatus.Retryable, 429, "stand-in scripted failure", TimeSpan.FromSeconds(7)));
        server.FailNext(503);
        (await endpoint.WriteAsync(small, WritePrecision.Milliseconds, CancellationToken.None))
            .Should().Be(new WriteResult(WriteStatus.Retryable, 503, "stand-in scripted failure", null));
        (await endpoint.WriteAsync(small, WritePrecision.Milliseconds, CancellationToken.None)).IsWritten.Should().BeTrue();
    }

    [Fact]
    public async Task A_503_whose_retry_after_is_an_http_date_is_still_a_retryable_answer()
    {
        await using var server = new InfluxV2StandIn();
        using var endpoint = new InfluxV2Endpoint(Options(server));
        server.FailNext(503, 1, "Wed, 01 Jan 2031 00:00:30 GMT");

        var result = await endpoint.WriteAsync(Lines, WritePrecision.Milliseconds, CancellationToken.None);

        result.Status.Should().Be(WriteStatus.Retryable, "the client cannot read a date Retry-After, but the server is only busy");
        server.Stored.Should().BeEmpty();
    }

    [Fact]
    public async Task A_refused_connection_is_retryable()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var endpoint = new InfluxV2Endpoint(new InfluxOptions { Url = $"http://127.0.0.1:{port}", Version = 2, Org = "o", Bucket = "b", Token = "t", RequestTimeoutMs = 2_000 });

        var result = await endpoint.WriteAsync(Lines, WritePrecision.Milliseconds, CancellationToken.None);

        result.Status.Should().Be(WriteStatus.Retryable);
        result.HttpStatus.Should().Be(0);
    }

    [Fact]
    public void The_v2_endpoint_refuses_version_1_settings_and_the_v1_endpoint_refuses_version_2()
    {
        var v1 = () => new InfluxV2Endpoint(new InfluxOptions { Version = 1 });
        v1.Should().Throw<ArgumentException>().WithMessage("*Influx:Version must be 2*");
        var v2 = () => new InfluxV1Endpoint(new InfluxOptions { Version = 2, Org = "o", Bucket = "b", Token = "t" });
        v2.Should().Throw<ArgumentException>().WithMessage("*Influx:Version must be 1*");
    }
}
