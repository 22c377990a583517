namespace PvMonitor.Monitoring.Alerts;

/// <summary>Settings of the alert engine and the webhook dispatcher. Section <c>Alerts</c>.</summary>
public sealed class AlertsOptions : PvMonitor.Monitoring.Configuration.ISectionOptions
{
    /// <summary>The configuration section: <c>Alerts</c>.</summary>
    public static string SectionName => "Alerts";

    /// <summary>Webhook receivers (<c>Alerts:Webhooks:0:Url</c>, <c>Alerts:Webhooks:0:Secret</c>, …). Default none.</summary>
    public List<WebhookTarget> Webhooks { get; set; } = [];

    /// <summary>Debounce N: an episode opens when at least this many of the last <see cref="DebounceWindow"/> scored samples match. Default 3.</summary>
    public int DebounceCount { get; set; } = 3;

    /// <summary>Debounce M: how many of the latest scored (non-night) samples are considered, 1–64. Default 5.</summary>
    public int DebounceWindow { get; set; } = 5;

    /// <summary>
    /// A sample classified as a fault counts towards a fault episode only when the posterior probability of all fault classes
    /// together is at least this, 0–1. Default 0.9. Misclassified healthy samples are unsure and cluster at dawn and dusk, so
    /// the debounce alone does not absorb them; a real fault puts nearly all probability on fault classes even when it wavers
    /// between them (PS50 / RS4 / PS75). In the demo: 0.05 % of healthy daylight samples reach 0.9 against 84 % of a PS50
    /// episode's (top-class confidence ≥ 0.6 would give 0.21 % and 58 %). 0 = every fault classification counts.
    /// </summary>
    public double MinFaultProbability { get; set; } = 0.9;

    /// <summary>Hysteresis K: an open episode clears only after this many consecutive non-matching scored samples. Default 5.</summary>
    public int ClearAfter { get; set; } = 5;

    /// <summary>An open alert is re-sent (repeat flag set) when this much sample time passed since it was last sent. Default 60 minutes; 0 disables repeats.</summary>
    public TimeSpan RepeatInterval { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>
    /// Events of the same inverter, kind and condition whose sample times lie within this window of the first one are sent as one
    /// event listing the strings. Default 30 seconds (sample time); 0 disables grouping (every event is emitted at once).
    /// </summary>
    public TimeSpan GroupWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Base URL of the operator page used for the <c>link</c> field. Default <c>http://127.0.0.1:5080</c>.</summary>
    public string OperatorBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Alerts waiting per webhook before the oldest is dropped (and counted). Default 1000.</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>Retries after a failed attempt (network error, timeout, 408, 429, 5xx). Default 5.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>Base delay of the exponential backoff (with jitter). Default 1 second.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of one backoff delay. Default 60 seconds.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Cap of a delay asked for by a 429/503 <c>Retry-After</c> header. Default 5 minutes.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Timeout of one HTTP attempt. Default 10 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Seed of the random source used for backoff jitter. Default 1.</summary>
    public int JitterSeed { get; set; } = 1;

    /// <summary>Returns one message per invalid setting, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var s = SectionName;
        var errors = new List<string>();
        if (Webhooks is null) errors.Add($"{s}:Webhooks must be a list (it may be empty).");
        else
        {
            for (var k = 0; k < Webhooks.Count; k++)
            {
                var w = Webhooks[k];
                if (w is null || !Uri.TryCreate(w.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                    errors.Add($"{s}:Webhooks:{k}:Url must be an absolute http or https URL (got '{w?.Url}').");
                if (w is null || string.IsNullOrEmpty(w.Secret))
                    errors.Add($"{s}:Webhooks:{k}:Secret must not be empty.");
            }
        }

        if (DebounceWindow is < 1 or > 64) errors.Add($"{s}:DebounceWindow must be between 1 and 64 (got {DebounceWindow}).");
        if (DebounceCount < 1 || DebounceCount > DebounceWindow)
            errors.Add($"{s}:DebounceCount must be between 1 and {s}:DebounceWindow ({DebounceWindow}) (got {DebounceCount}).");
        if (ClearAfter < 1) errors.Add($"{s}:ClearAfter must be ≥ 1 (got {ClearAfter}).");
        if (!(MinFaultProbability is >= 0 and <= 1)) errors.Add($"{s}:MinFaultProbability must be between 0 and 1 (got {MinFaultProbability}).");
        if (RepeatInterval < TimeSpan.Zero) errors.Add($"{s}:RepeatInterval must be ≥ 0 (got {RepeatInterval}).");
        if (GroupWindow < TimeSpan.Zero) errors.Add($"{s}:GroupWindow must be ≥ 0 (got {GroupWindow}).");
        if (!Uri.TryCreate(OperatorBaseUrl, UriKind.Absolute, out _)) errors.Add($"{s}:OperatorBaseUrl must be an absolute URL (got '{OperatorBaseUrl}').");
        if (QueueCapacity < 1) errors.Add($"{s}:QueueCapacity must be ≥ 1 (got {QueueCapacity}).");
        if (MaxRetries is < 0 or > 100) errors.Add($"{s}:MaxRetries must be between 0 and 100 (got {MaxRetries}).");
        if (RetryBaseDelay <= TimeSpan.Zero) errors.Add($"{s}:RetryBaseDelay must be > 0 (got {RetryBaseDelay}).");
        if (RetryMaxDelay < RetryBaseDelay) errors.Add($"{s}:RetryMaxDelay must be ≥ {s}:RetryBaseDelay (got {RetryMaxDelay}).");
        if (MaxRetryAfter < TimeSpan.Zero) errors.Add($"{s}:MaxRetryAfter must be ≥ 0 (got {MaxRetryAfter}).");
        if (AttemptTimeout <= TimeSpan.Zero) errors.Add($"{s}:AttemptTimeout must be > 0 (got {AttemptTimeout}).");
        return errors;
    }

    /// <summary>Throws when <see cref="Validate"/> finds problems.</summary>
    /// <exception cref="ArgumentException">Lists every invalid key.</exception>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid alert options: " + string.Join(" ", errors));
    }
}
