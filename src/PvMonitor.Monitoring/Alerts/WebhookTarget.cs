namespace PvMonitor.Monitoring.Alerts;

/// <summary>One webhook receiver (an item of <c>Alerts:Webhooks</c>).</summary>
public sealed class WebhookTarget
{
    /// <summary>Absolute http(s) URL the alert JSON is POSTed to. Required.</summary>
    public string Url { get; set; } = "";

    /// <summary>
    /// Shared secret for the <c>X-PvMonitor-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c> header (UTF-8 bytes of this text are the key). Required.
    /// </summary>
    public string Secret { get; set; } = "";
}
