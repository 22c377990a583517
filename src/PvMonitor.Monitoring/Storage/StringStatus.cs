using PvMonitor.Domain.Telemetry;

namespace PvMonitor.Monitoring.Storage;

/// <summary>The latest stored classification of one string (the operator page's overview row).</summary>
/// <param name="Key">The string.</param>
/// <param name="Time">Time of its latest sample (UTC).</param>
/// <param name="ModelVersion">Model that scored it.</param>
/// <param name="Condition">Latest condition code, or <c>night</c>.</param>
/// <param name="Confidence">Posterior probability of the condition, 0–1; NaN for night.</param>
/// <param name="Elbo">ELBO, nats; NaN for night.</param>
/// <param name="Anomaly">Anomaly flag.</param>
/// <param name="Night">Night flag.</param>
public sealed record StringStatus(StringKey Key, DateTimeOffset Time, string ModelVersion, string Condition, double Confidence, double Elbo, bool Anomaly, bool Night);
