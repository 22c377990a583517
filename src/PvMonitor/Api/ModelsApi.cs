using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PvMonitor.Api.Auth;
using PvMonitor.Hosting;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models;
using PvMonitor.Monitoring.Operations;
using PvMonitor.Monitoring.Operations.Retraining;

namespace PvMonitor.Api;

/// <summary>
/// The model registry over HTTP: <c>GET /api/models</c> (every version, which is active), <c>GET /api/models/{version}</c>
/// (manifest metrics, classes, threshold, origin, gate outcome and validation report with confusion matrix),
/// <c>GET /api/models/{version}/latent?rows=N</c> (z1 PCA of its training snapshot, sdgm only), <c>POST /api/models/{version}/activate</c> (hot swap or
/// rollback; operator; audited). A version whose files fail their checksum is refused (409) and the active one stays.
/// </summary>
public static class ModelsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/models").RequireAuthorization(ApiPolicies.Viewer);
        api.MapGet("/", Ok<ModelListDto> (ModelHost models) =>
            TypedResults.Ok(new ModelListDto(models.Current.Manifest.Version, models.Current.Path, models.Registry.Root,
                models.Registry.List().Select(ModelVersionDto.Of).ToList())));
        api.MapGet("/{version}", (string version, ModelHost models) =>
            Refusals.Guard(() => Task.FromResult(TypedResults.Ok(ModelVersionDto.Of(models.Registry.Get(version))))));
        api.MapGet("/{version}/latent", (string version, int? rows, ModelHost models) => Refusals.Guard(async () =>
        {
            if (rows is < 10 or > 5000) throw new OperationRejectedException(RejectionKind.Invalid, "rows", $"rows must be 10–5000 (was {rows}).");
            var entry = models.Registry.Get(version);
            var map = await Task.Run(() => LatentOf(entry, models, rows ?? 1000)).ConfigureAwait(false);
            return TypedResults.Ok(map);
        }));
        api.MapPost("/{version}/activate", (string version, ModelHost models, OperationsStore operations, ClaimsPrincipal user, CancellationToken ct) =>
            Refusals.Guard(async () =>
            {
                var previous = models.Current.Manifest.Version;
                var entry = await models.ActivateAsync(version, ct).ConfigureAwait(false);
                await operations.RecordAsync(user.Identity?.Name ?? ApiTokenAuthenticationHandler.Anonymous, "model.activate", $"{version} (was {previous})", ct).ConfigureAwait(false);
                return TypedResults.Ok(ModelVersionDto.Of(entry));
            })).RequireAuthorization(ApiPolicies.Operator);
        return api;
    }

    private static LatentMap LatentOf(RegistryEntry entry, ModelHost models, int rows)
    {
        TabularData? snapshot;
        try
        {
            snapshot = ModelDirectory.ReadSnapshot(entry.Path, entry.Manifest);
        }
        catch (ModelFormatException ex)
        {
            throw new OperationRejectedException(RejectionKind.Conflict, "version", ex.Message);
        }

        if (snapshot is null)
            throw new OperationRejectedException(RejectionKind.Conflict, "version", $"Model version {entry.Version} has no training snapshot to map (see 'pvmonitor models snapshot').");
        var current = models.Current;
        if (current.Manifest.Version == entry.Version) return LatentMap.Of(current.Model, snapshot, rows);
        IConditionModel model;
        try
        {
            model = ModelDirectory.Load(entry.Path);
        }
        catch (ModelFormatException ex)
        {
            throw new OperationRejectedException(RejectionKind.Conflict, "version", ex.Message);
        }

        try
        {
            return LatentMap.Of(model, snapshot, rows);
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }
}

internal sealed record ModelListDto(string Active, string ActivePath, string Registry, IReadOnlyList<ModelVersionDto> Versions);

internal sealed record ModelVersionDto(string Version, string Kind, bool Active, IReadOnlyList<string> Classes, IReadOnlyList<string> Features,
    DateTimeOffset Created, string Origin, string? Parent, string? Gate, string? Reason, DateTimeOffset? Activated, double? AnomalyThreshold,
    IReadOnlyDictionary<string, double?> Metrics, int? SnapshotRows, ValidationReport? Validation)
{
    public static ModelVersionDto Of(RegistryEntry e) => new(e.Version, e.Manifest.Kind, e.IsActive, e.Manifest.Classes, e.Manifest.Features,
        e.Manifest.Created, e.Record.Origin, e.Record.Parent, e.Record.Gate, e.Record.Reason, e.Record.Activated, e.Manifest.Threshold?.Elbo,
        e.Manifest.Metrics.ToDictionary(m => m.Key, m => double.IsFinite(m.Value) ? m.Value : (double?)null), e.Manifest.Snapshot?.Rows, e.Record.Validation);
}
