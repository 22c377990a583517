using System.Net.Sockets;
using System.Text;
using InfluxDB.Client;
using InfluxDB.Client.Core.Exceptions;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;
using ClientPrecision = InfluxDB.Client.Api.Domain.WritePrecision;

namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>
/// Writes to InfluxDB 2.x/3.x (and 1.8+, which serve <c>/api/v2/write</c>) through InfluxDB.Client's awaitable
/// <see cref="WriteApiAsync"/>: one <c>POST /api/v2/write?org=&amp;bucket=&amp;precision=</c> per call with
/// <c>Authorization: Token …</c>, whose outcome is known when the task completes. The lines are our encoder's (one batch = one
/// record, which the client sends unchanged); the client's batching <c>WriteApi</c> is deliberately not used: it reports outcomes
/// only as events and drops points after its own retries. Retries, splitting, spooling and dead-lettering stay in the writer.
/// </summary>
/// <remarks>
/// Maps the client's exceptions to a <see cref="WriteResult"/>: 400 and 422 rejected, 413 too large, 429/5xx and network
/// errors or timeouts retryable (with the server's <c>Retry-After</c> in seconds; an HTTP-date <c>Retry-After</c>, which the
/// client cannot parse, is retryable without a delay hint), 401/403/404 and other codes failed. Safe for concurrent calls.
/// </remarks>
public sealed class InfluxV2Endpoint : IInfluxWriteEndpoint, IDisposable
{
    private const int MaxMessageChars = 2_000;

    private readonly InfluxDBClient _client;
    private readonly WriteApiAsync _write;
    private readonly string _org;
    private readonly string _bucket;

    /// <summary>Creates the client from <paramref name="options"/> (<see cref="InfluxOptions.Version"/> 2: URL, org, bucket, token, request timeout, gzip).</summary>
    /// <param name="options">Version-2 settings.</param>
    /// <param name="http">The HttpClient InfluxDB.Client sends with (not disposed here). Default: the client's own.</param>
    public InfluxV2Endpoint(InfluxOptions options, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        if (options.Version != 2)
            throw new ArgumentException($"{InfluxOptions.SectionName}:Version must be 2 for {nameof(InfluxV2Endpoint)} (was {options.Version}).", nameof(options));
        _org = options.Org!;
        _bucket = options.Bucket!;
        _client = InfluxV2ClientFactory.Create(options, http: http);
        _write = _client.GetWriteApiAsync();
    }

    /// <inheritdoc />
    public async ValueTask<WriteResult> WriteAsync(ReadOnlyMemory<byte> lines, WritePrecision precision, CancellationToken cancellationToken)
    {
        // One record holding the whole batch: the client joins records with '\n' and re-encodes the text as UTF-8 unchanged.
        var record = Encoding.UTF8.GetString(lines.Span);
        try
        {
            await _write.WriteRecordAsync(record, ToClient(precision), _bucket, _org, cancellationToken).ConfigureAwait(false);
            return WriteResult.Written;
        }
        catch (HttpException e) when (e.Status > 0)
        {
            return ToResult(e.Status, e.Message, e.RetryAfter);
        }
        catch (HttpException e)
        {
            return new WriteResult(WriteStatus.Retryable, 0, "connection failed: " + Truncate(e.InnerException?.Message ?? e.Message), null);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new WriteResult(WriteStatus.Retryable, 0, "request timed out: " + e.Message, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException)
        {
            return new WriteResult(WriteStatus.Retryable, 0, "connection failed: " + Truncate(e.Message), null);
        }
        catch (FormatException e)
        {
            // InfluxDB.Client 5.1.0 reads Retry-After as whole seconds only; an HTTP-date Retry-After (allowed by RFC 9110, sent
            // by proxies) makes it throw while building the error for a 429/503. The server answered "not now": retry later.
            return new WriteResult(WriteStatus.Retryable, 0, "error answer InfluxDB.Client could not read: " + Truncate(e.Message), null);
        }
    }

    /// <summary>The result for an HTTP error <paramref name="status"/> the client reported.</summary>
    internal static WriteResult ToResult(int status, string? message, int? retryAfterSeconds)
    {
        var text = string.IsNullOrWhiteSpace(message) ? $"HTTP {status}" : Truncate(message);
        TimeSpan? retryAfter = retryAfterSeconds is { } s ? TimeSpan.FromSeconds(Math.Max(0, s)) : null;
        return status switch
        {
            400 or 422 => new WriteResult(WriteStatus.Rejected, status, text, null),
            413 => new WriteResult(WriteStatus.TooLarge, status, text, null),
            429 or >= 500 => new WriteResult(WriteStatus.Retryable, status, text, retryAfter),
            _ => new WriteResult(WriteStatus.Failed, status, text, retryAfter),
        };
    }

    /// <summary>The client's spelling of a precision.</summary>
    internal static ClientPrecision ToClient(WritePrecision precision) => precision switch
    {
        WritePrecision.Nanoseconds => ClientPrecision.Ns,
        WritePrecision.Microseconds => ClientPrecision.Us,
        WritePrecision.Milliseconds => ClientPrecision.Ms,
        _ => ClientPrecision.S,
    };

    private static string Truncate(string s) => s.Length <= MaxMessageChars ? s : s[..MaxMessageChars] + "…";

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
