using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PvMonitor.Api.Auth;
using PvMonitor.Hosting;
using PvMonitor.Monitoring.Operations;

namespace PvMonitor.Api;

/// <summary>
/// <c>POST /api/retrain</c> <c>{"reason"}</c> (operator; 202, or 409 while one runs), <c>GET /api/retrain</c> (state, phase,
/// epochs, ETA, candidate, the gate's outcome, log tail), <c>DELETE /api/retrain</c> (cancel; operator).
/// </summary>
public static class RetrainApi
{
    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapRetrainApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/retrain").RequireAuthorization(ApiPolicies.Viewer);
        api.MapGet("/", Ok<RetrainStatus> (RetrainingService retraining) => TypedResults.Ok(retraining.Status));
        api.MapPost("/", async Task<Results<Accepted<RetrainStatus>, ProblemHttpResult>> (RetrainRequestDto? body, RetrainingService retraining, OperationsStore operations,
            ClaimsPrincipal user, CancellationToken ct) =>
        {
            var actor = user.Identity?.Name ?? ApiTokenAuthenticationHandler.Anonymous;
            var reason = string.IsNullOrWhiteSpace(body?.Reason) ? "requested" : body.Reason.Trim();
            if (!retraining.TryStart(reason, actor, out var status))
                return TypedResults.Problem($"A retraining is already running (started {status.Started:O} by {status.RequestedBy}); cancel it with DELETE /api/retrain or wait.",
                    statusCode: StatusCodes.Status409Conflict, title: "Conflict");
            await operations.RecordAsync(actor, "retrain.start", reason, ct).ConfigureAwait(false);
            return TypedResults.Accepted("/api/retrain", status);
        }).RequireAuthorization(ApiPolicies.Operator);
        api.MapDelete("/", Results<Accepted, ProblemHttpResult> (RetrainingService retraining) =>
            retraining.Cancel()
                ? TypedResults.Accepted("/api/retrain")
                : TypedResults.Problem("No retraining is running.", statusCode: StatusCodes.Status409Conflict, title: "Conflict")).RequireAuthorization(ApiPolicies.Operator);
        return api;
    }
}

internal sealed record RetrainRequestDto(string? Reason);
