using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PvMonitor.Api.Auth;
using PvMonitor.Monitoring.Operations;

namespace PvMonitor.Api;

/// <summary>
/// The operator's writes, under <c>/api</c>: <c>GET|POST conditions</c> (the condition catalog), <c>GET|POST labels</c>,
/// <c>DELETE labels/{id}</c>, <c>GET audit</c>. Reading needs a viewer token, writing an operator token (when
/// <c>Api:RequireAuth</c>); refusals are problem+json naming the field (400), the conflicting label or code (409) or the
/// missing id (404).
/// </summary>
public static class OperationsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ApiPolicies.Viewer);
        api.MapGet("/me", Ok<CallerDto> (ClaimsPrincipal user) => TypedResults.Ok(new CallerDto(
            user.Identity?.Name ?? ApiTokenAuthenticationHandler.Anonymous, user.FindFirstValue(ClaimTypes.Role) ?? ApiPolicies.Viewer)));
        api.MapGet("/conditions", async Task<Ok<List<ConditionDto>>> (OperationsStore store, CancellationToken ct) =>
            TypedResults.Ok((await store.GetConditionsAsync(ct).ConfigureAwait(false)).Select(ConditionDto.From).ToList()));
        api.MapPost("/conditions", (NewCondition body, OperationsStore store, ClaimsPrincipal user, CancellationToken ct) => Refusals.Guard(async () =>
        {
            var created = await store.AddConditionAsync(body, Actor(user), ct).ConfigureAwait(false);
            return TypedResults.Created($"/api/conditions/{Uri.EscapeDataString(created.Code)}", ConditionDto.From(created));
        })).RequireAuthorization(ApiPolicies.Operator);
        api.MapGet("/labels", async Task<Ok<List<LabelDto>>> (string? plant, DateTimeOffset? from, DateTimeOffset? to, OperationsStore store, CancellationToken ct) =>
            TypedResults.Ok((await store.GetLabelsAsync(plant, from, to, ct).ConfigureAwait(false)).Select(LabelDto.Of).ToList()));
        api.MapPost("/labels", (NewLabel body, OperationsStore store, ClaimsPrincipal user, CancellationToken ct) => Refusals.Guard(async () =>
        {
            var label = await store.AddLabelAsync(body, Actor(user), ct).ConfigureAwait(false);
            return TypedResults.Created($"/api/labels/{label.Id}", LabelDto.Of(label));
        })).RequireAuthorization(ApiPolicies.Operator);
        api.MapDelete("/labels/{id:long}", (long id, OperationsStore store, ClaimsPrincipal user, CancellationToken ct) => Refusals.Guard(async () =>
        {
            await store.DeleteLabelAsync(id, Actor(user), ct).ConfigureAwait(false);
            return TypedResults.NoContent();
        })).RequireAuthorization(ApiPolicies.Operator);
        api.MapGet("/audit", async Task<Ok<List<AuditEntry>>> (int? limit, OperationsStore store, CancellationToken ct) =>
            TypedResults.Ok((await store.GetAuditAsync(Math.Clamp(limit ?? 100, 1, 1000), ct).ConfigureAwait(false)).ToList()));
        return api;
    }

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? ApiTokenAuthenticationHandler.Anonymous;
}
