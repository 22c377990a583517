namespace PvMonitor.Api.Auth;

/// <summary>Authorization policies of <c>/api/*</c>: reading needs a viewer or operator token, writing an operator token.</summary>
public static class ApiPolicies
{
    /// <summary>Read: role viewer or operator.</summary>
    public const string Viewer = "viewer";

    /// <summary>Write: role operator.</summary>
    public const string Operator = "operator";
}
