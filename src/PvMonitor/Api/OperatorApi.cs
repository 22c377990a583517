using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PvMonitor.Domain.Conditions;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Hosting;
using PvMonitor.Monitoring.Pipeline;
using PvMonitor.Monitoring.Operations.Drift;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Api;

/// <summary>
/// JSON endpoints behind the operator page, under <c>/api</c>: <c>overview</c>, <c>strings</c> (latest state of each string),
/// <c>strings/{plant}/{inverter}/{string}/history?hours=6</c> (condition and telemetry history before the string's latest
/// sample), <c>alerts?limit=50</c>, <c>deadletters?limit=50</c>.
/// </summary>
public static class OperatorApi
{

    /// <summary>Maps the <c>/api</c> group.</summary>
    public static RouteGroupBuilder MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(Auth.ApiPolicies.Viewer);
        api.MapGet("/overview", GetOverview);
        api.MapGet("/drift", Ok<DriftDto> (DriftMonitor drift) => TypedResults.Ok(DriftDto.Of(drift)));
        api.MapGet("/status", Ok<StatusDto> (ModelHost models, DriftMonitor drift, RetrainingService retraining, MonitoringPipeline pipeline) =>
        {
            var s = pipeline.Status;
            return TypedResults.Ok(new StatusDto(models.Current.Manifest.Version, s.MessagesReceived, s.SamplesStored, s.DeadLetters, DriftDto.Of(drift), retraining.Status));
        });
        api.MapGet("/strings", async Task<Ok<List<StringDto>>> (IResultReader reader, ConditionCatalog catalog, CancellationToken ct) =>
        {
            var latest = await reader.GetLatestAsync(ct).ConfigureAwait(false);
            return TypedResults.Ok(latest.Select(s => StringDto.From(s, IsFault(catalog, s.Condition))).ToList());
        });
        api.MapGet("/strings/{plant}/{inverter}/{str}/history", GetHistory);
        // The same JSON objects as the webhook bodies (AlertJsonWriter): one contract for receivers and the page.
        api.MapGet("/alerts", async Task<FileContentHttpResult> (int? limit, IResultReader reader, CancellationToken ct) =>
        {
            var alerts = await reader.GetAlertsAsync(limit: Math.Clamp(limit ?? 50, 1, 1000), cancellationToken: ct).ConfigureAwait(false);
            var buffer = new ArrayBufferWriter<byte>(alerts.Count * 512 + 2);
            buffer.Write("["u8);
            for (var i = 0; i < alerts.Count; i++)
            {
                if (i > 0) buffer.Write(","u8);
                AlertJsonWriter.Write(alerts[i], buffer);
            }

            buffer.Write("]"u8);
            return TypedResults.Bytes(buffer.WrittenMemory, "application/json; charset=utf-8");
        });
        api.MapGet("/deadletters", async Task<Ok<List<DeadLetterDto>>> (int? limit, IResultReader reader, CancellationToken ct) =>
        {
            var rows = await reader.GetDeadLettersAsync(Math.Clamp(limit ?? 50, 1, 1000), ct).ConfigureAwait(false);
            return TypedResults.Ok(rows.Select(DeadLetterDto.From).ToList());
        });
        return api;
    }

    private static async Task<Ok<OverviewDto>> GetOverview(IResultReader reader, MonitoringPipeline pipeline, ModelHost models, ResultStorage storage, ConditionCatalog catalog,
        TelemetrySource source, DriftMonitor drift, CancellationToken ct)
    {
        var counts = await reader.GetCountsAsync(ct).ConfigureAwait(false);
        var model = models.Current;
        var s = pipeline.Status;
        var m = model.Manifest;
        var faults = model.Model.Classes.Where(c => IsFault(catalog, c)).ToList();
        return TypedResults.Ok(new OverviewDto(source.Description, source.IsReady, storage.Description, s.StoreHealthy && storage.WriterHealthy,
            new ModelDto(m.Version, m.Kind, m.Classes, m.Features, StringDto.Num(model.Scorer.Threshold), model.Path),
            counts, s.MessagesReceived, s.SamplesStored, s.DeadLetters, s.AlertsStored, s.InputQueueDepth, faults, drift.Report().Count(d => d.Drifting)));
    }

    private static async Task<Results<Ok<HistoryDto>, NotFound<ErrorDto>, ValidationProblem>> GetHistory(string plant, string inverter, string str, double? hours,
        DateTimeOffset? from, IResultReader reader, CancellationToken ct)
    {
        if (hours is { } h && !(h > 0 && h <= 24 * 14))
            return Refusals.Invalid("hours", $"hours must be above 0 and at most 336 (14 days); was {h}.");
        var key = new StringKey(plant, inverter, str);
        var latest = (await reader.GetLatestAsync(ct).ConfigureAwait(false)).FirstOrDefault(s => s.Key == key);
        if (latest is null) return TypedResults.NotFound(new ErrorDto($"No data for string {key}."));
        var span = TimeSpan.FromHours(hours ?? 6);
        // An alert link's window: from an hour before its start (for context); otherwise the span before the latest sample.
        var start = from is { } f ? f - TimeSpan.FromHours(1) : latest.Time.AddMilliseconds(1) - span;
        var to = from is null ? latest.Time.AddMilliseconds(1) : start + span;
        var conditions = await reader.GetConditionHistoryAsync(key, start, to, 5000, ct).ConfigureAwait(false);
        var telemetry = await reader.GetTelemetryAsync(key, start, to, 5000, ct).ConfigureAwait(false);
        return TypedResults.Ok(new HistoryDto(plant, inverter, str,
            conditions.Select(HistoryPointDto.From).ToList(),
            telemetry.Select(t => new TelemetryPointDto(t.Sample.Time, t.Sample.I, t.Sample.V, t.Sample.G, t.Sample.TExt, t.Sample.TMod, t.Sample.W)).ToList()));
    }

    private static bool IsFault(ConditionCatalog catalog, string code) => catalog.TryGet(code, out var d) && d.IsFault;
}
