using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PvMonitor.Api.Auth;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Operations;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Api;

/// <summary>
/// What an operator labels from: <c>GET /api/anomalies?from=&amp;to=&amp;status=</c> (anomaly episodes from the stored alerts,
/// newest first, each with its lowest ELBO, the sensors that looked wrong and whether a label covers it) and
/// <c>GET /api/telemetry?plant=&amp;inverter=&amp;string=&amp;from=&amp;to=</c> (raw samples of one string).
/// </summary>
public static class AnomaliesApi
{
    /// <summary>Most alerts read to build episodes.</summary>
    public const int MaxAlerts = 20_000;

    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapAnomaliesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ApiPolicies.Viewer);
        api.MapGet("/anomalies", async Task<Results<Ok<List<AnomalyDto>>, ValidationProblem>> (DateTimeOffset? from, DateTimeOffset? to, string? status,
            IResultReader reader, OperationsStore operations, CancellationToken ct) =>
        {
            if (status is not (null or "open" or "labeled" or "dismissed"))
                return Refusals.Invalid("status", $"status '{status}' must be open, labeled or dismissed.");
            var alerts = await reader.GetAlertsAsync(from, to, MaxAlerts, ct).ConfigureAwait(false);
            var labels = await operations.GetLabelsAsync(cancellationToken: ct).ConfigureAwait(false);
            var severities = (await operations.GetConditionsAsync(ct).ConfigureAwait(false)).ToDictionary(c => c.Code, c => c.Severity, StringComparer.Ordinal);
            var episodes = AnomalyEpisode.Build(alerts, labels, code => severities.GetValueOrDefault(code, ConditionSeverity.Fault));
            return TypedResults.Ok(episodes.Where(e => status is null || e.Status == status).Select(AnomalyDto.Of).ToList());
        });
        api.MapGet("/telemetry", async Task<Results<Ok<List<TelemetryPointDto>>, ValidationProblem>> (string? plant, string? inverter, string? @string,
            DateTimeOffset? from, DateTimeOffset? to, IResultReader reader, CancellationToken ct) =>
        {
            var problems = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(plant)) problems["plant"] = ["plant is required."];
            if (string.IsNullOrWhiteSpace(@string)) problems["string"] = ["string is required."];
            if (from is null) problems["from"] = ["from is required (ISO-8601 time)."];
            if (to is null) problems["to"] = ["to is required (ISO-8601 time)."];
            else if (from is { } f && to <= f) problems["to"] = ["to must be after from."];
            if (problems.Count > 0) return TypedResults.ValidationProblem(problems);
            var keys = (await reader.GetLatestAsync(ct).ConfigureAwait(false)).Select(s => s.Key)
                .Where(k => k.Plant == plant && k.String == @string && (inverter is null || k.Inverter == inverter)).Distinct().ToList();
            if (keys.Count > 1)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["inverter"] = [$"string {@string} of plant {plant} exists on inverters {string.Join(", ", keys.Select(k => k.Inverter))}: add inverter=."],
                });
            if (keys.Count == 0) return TypedResults.Ok(new List<TelemetryPointDto>());
            var rows = await reader.GetTelemetryAsync(keys[0], from!.Value, to!.Value, 10_000, ct).ConfigureAwait(false);
            return TypedResults.Ok(rows.Select(t => new TelemetryPointDto(t.Sample.Time, t.Sample.I, t.Sample.V, t.Sample.G, t.Sample.TExt, t.Sample.TMod, t.Sample.W)).ToList());
        });
        return api;
    }
}

internal sealed record AnomalyDto(string Plant, string Inverter, string String, DateTimeOffset From, DateTimeOffset? To, double? MinElbo,
    IReadOnlyList<SensorDto> Sensors, string Status, long? LabelId, string? LabelCondition)
{
    public static AnomalyDto Of(AnomalyEpisode e) => new(e.Plant, e.Inverter, e.String, e.From, e.To, StringDto.Num(e.MinElbo),
        e.Sensors.Select(s => new SensorDto(s.Sensor, StringDto.Num(s.Z))).ToList(), e.Status, e.LabelId, e.LabelCondition);
}
