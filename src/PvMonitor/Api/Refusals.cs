using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using PvMonitor.Monitoring.Operations;

namespace PvMonitor.Api;

/// <summary>
/// How the operator API answers a refused write: invalid fields → 400 validation problem with the field in <c>errors</c>;
/// a conflict → 409 and a missing id → 404, both problem+json with the field in <c>field</c>.
/// </summary>
internal static class Refusals
{
    /// <summary>Runs <paramref name="write"/>; an <see cref="OperationRejectedException"/> becomes its problem response.</summary>
    public static async Task<Results<TOk, ValidationProblem, ProblemHttpResult>> Guard<TOk>(Func<Task<TOk>> write) where TOk : IResult
    {
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (OperationRejectedException ex)
        {
            if (ex.Kind == RejectionKind.Invalid) return Invalid(ex.Field, ex.Message);
            var (status, title) = ex.Kind == RejectionKind.NotFound ? (StatusCodes.Status404NotFound, "Not found") : (StatusCodes.Status409Conflict, "Conflict");
            return TypedResults.Problem(ex.Message, statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["field"] = ex.Field });
        }
    }

    /// <summary>A 400 validation problem naming <paramref name="field"/>.</summary>
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message);
}
