using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PvMonitor.Monitoring.Storage.Influx.Query;

/// <summary>
/// A small InfluxQL client for the 1.x <c>/query</c> endpoint (the version-1 path; 2.x/3.x are read with Flux through InfluxDB.Client):
/// <see cref="ExecuteAsync"/> posts statements such as <c>CREATE DATABASE</c>; <see cref="QueryAsync"/> runs a SELECT/SHOW with
/// millisecond epoch timestamps and returns the series (the operator page's InfluxDB reads use it too). Not for bulk reads:
/// results are materialised.
/// </summary>
public sealed class InfluxQueryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsClient;
    private readonly string _baseUrl;
    private readonly AuthenticationHeaderValue? _authorization;

    /// <summary>Creates a client for <paramref name="url"/> (e.g. <c>http://127.0.0.1:8086</c>), optionally with 1.x credentials.</summary>
    public InfluxQueryClient(string url, string? username = null, string? password = null, HttpClient? http = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        _baseUrl = url.TrimEnd('/');
        _ownsClient = http is null;
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        if (!string.IsNullOrEmpty(username))
            _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password)));
    }

    /// <summary>Creates a client from the writer's version-1 options (URL, user/password). Version 2 reads with Flux through InfluxDB.Client instead.</summary>
    public static InfluxQueryClient FromOptions(InfluxOptions options, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Version != 1)
            throw new ArgumentException($"{InfluxOptions.SectionName}:Version must be 1 for InfluxQL queries (was {options.Version}).", nameof(options));
        return new InfluxQueryClient(options.Url, options.Username, options.Password, http);
    }

    /// <summary>Runs a statement with POST (CREATE, DROP, …). Throws <see cref="InfluxQueryException"/> with the server's message on error.</summary>
    public async Task ExecuteAsync(string statement, string? database = null, CancellationToken cancellationToken = default)
    {
        var form = new List<KeyValuePair<string, string>> { new("q", statement) };
        if (!string.IsNullOrEmpty(database))
            form.Add(new("db", database));
        using var request = new HttpRequestMessage(HttpMethod.Post, _baseUrl + "/query") { Content = new FormUrlEncodedContent(form) };
        await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates <paramref name="database"/> if it does not exist.</summary>
    public Task CreateDatabaseAsync(string database, CancellationToken cancellationToken = default) =>
        ExecuteAsync("CREATE DATABASE " + QuoteIdentifier(database), null, cancellationToken);

    /// <summary>Runs a read-only query (GET) against <paramref name="database"/>; timestamps come back as epoch milliseconds.</summary>
    public async Task<IReadOnlyList<InfluxSeries>> QueryAsync(string database, string query, CancellationToken cancellationToken = default)
    {
        var url = $"{_baseUrl}/query?db={Uri.EscapeDataString(database)}&epoch=ms&q={Uri.EscapeDataString(query)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The single number a <c>SELECT COUNT(x) …</c> style query returns (0 when there are no rows).</summary>
    public async Task<long> QueryScalarAsync(string database, string query, CancellationToken cancellationToken = default)
    {
        var series = await QueryAsync(database, query, cancellationToken).ConfigureAwait(false);
        if (series.Count == 0 || series[0].Rows.Count == 0)
            return 0;
        var value = series[0].Rows[0][^1];
        return value switch
        {
            long l => l,
            double d => (long)d,
            null => 0,
            _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Quotes an identifier for InfluxQL (<c>"name"</c> with <c>"</c> and <c>\</c> escaped).</summary>
    public static string QuoteIdentifier(string name) =>
        "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// Quotes a string literal for InfluxQL, e.g. a tag value in a <c>WHERE</c> clause: <c>'value'</c> with <c>\</c>, <c>'</c> and
    /// line breaks escaped as <c>\\</c>, <c>\'</c> and <c>\n</c> (the InfluxQL scanner rejects a raw line break in a string).
    /// </summary>
    public static string QuoteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal) + "'";
    }

    private async Task<IReadOnlyList<InfluxSeries>> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_authorization is not null)
            request.Headers.Authorization = _authorization;
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var message = TryError(body) ?? $"HTTP {(int)response.StatusCode}: {body}";
            throw new InfluxQueryException(message, (int)response.StatusCode);
        }

        return Parse(body);
    }

    private static string? TryError(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Parses a 1.x JSON query response; throws <see cref="InfluxQueryException"/> for statement errors.</summary>
    public static IReadOnlyList<InfluxSeries> Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var result = new List<InfluxSeries>();
        if (doc.RootElement.TryGetProperty("error", out var topError))
            throw new InfluxQueryException(topError.GetString() ?? "query failed", 200);
        if (!doc.RootElement.TryGetProperty("results", out var results))
            return result;
        foreach (var statement in results.EnumerateArray())
        {
            if (statement.TryGetProperty("error", out var error))
                throw new InfluxQueryException(error.GetString() ?? "query failed", 200);
            if (!statement.TryGetProperty("series", out var series))
                continue;
            foreach (var s in series.EnumerateArray())
            {
                var name = s.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
                var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                if (s.TryGetProperty("tags", out var t))
                {
                    foreach (var p in t.EnumerateObject())
                        tags[p.Name] = p.Value.GetString() ?? "";
                }

                var columns = new List<string>();
                foreach (var c in s.GetProperty("columns").EnumerateArray())
                    columns.Add(c.GetString() ?? "");
                var rows = new List<object?[]>();
                if (s.TryGetProperty("values", out var values))
                {
                    foreach (var row in values.EnumerateArray())
                    {
                        var cells = new object?[columns.Count];
                        var i = 0;
                        foreach (var cell in row.EnumerateArray())
                        {
                            if (i < cells.Length)
                                cells[i] = ToValue(cell);
                            i++;
                        }

                        rows.Add(cells);
                    }
                }

                result.Add(new InfluxSeries(name, tags, columns, rows));
            }
        }

        return result;
    }

    private static object? ToValue(JsonElement cell) => cell.ValueKind switch
    {
        JsonValueKind.Number => cell.TryGetInt64(out var l) && !cell.GetRawText().Contains('.', StringComparison.Ordinal)
                                                             && !cell.GetRawText().Contains('e', StringComparison.OrdinalIgnoreCase)
            ? l
            : cell.GetDouble(),
        JsonValueKind.String => cell.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
            _http.Dispose();
    }
}
