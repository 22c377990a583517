using System.Text;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Operations.Drift;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Api;

// JSON shapes of the operator API. Non-finite numbers become null (JSON has no NaN).

internal sealed record StringDto(string Plant, string Inverter, string String, DateTimeOffset Time, string Condition, double? Confidence, double? Elbo, bool Anomaly, bool Night, bool Fault, string ModelVersion)
{
    public static StringDto From(StringStatus s, bool fault) =>
        new(s.Key.Plant, s.Key.Inverter, s.Key.String, s.Time, s.Condition, Num(s.Confidence), Num(s.Elbo), s.Anomaly, s.Night, fault, s.ModelVersion);

    internal static double? Num(double v) => double.IsFinite(v) ? v : null;
}

// Z: reconstruction z-score per sensor (which sensor looks wrong), null when the row has none (night rows; in InfluxDB rows that
// are not anomalous unless Influx:ZScoresOnEveryRow).
internal sealed record HistoryPointDto(DateTimeOffset Time, string Condition, double? Confidence, double? Elbo, bool Anomaly, bool Night, IReadOnlyDictionary<string, double?>? Z)
{
    public static HistoryPointDto From(ConditionRecord r)
    {
        Dictionary<string, double?>? z = null;
        if (r.Features is { } features && !r.ReconstructionZ.IsEmpty)
        {
            var values = r.ReconstructionZ.Span;
            z = new Dictionary<string, double?>(StringComparer.Ordinal);
            for (var f = 0; f < features.Count && f < values.Length; f++)
                z[features[f]] = StringDto.Num(values[f]);
        }

        return new(r.Time, r.Condition, StringDto.Num(r.Confidence), StringDto.Num(r.Elbo), r.Anomaly, r.Night, z);
    }
}

internal sealed record TelemetryPointDto(DateTimeOffset Time, double I, double V, double G, double TExt, double TMod, double W);

internal sealed record HistoryDto(string Plant, string Inverter, string String, IReadOnlyList<HistoryPointDto> Conditions, IReadOnlyList<TelemetryPointDto> Telemetry);

internal sealed record SensorDto(string Sensor, double? Z);

internal sealed record DeadLetterDto(DateTimeOffset Received, string Topic, string Reason, string Message, string Payload, int PayloadBytes)
{
    public static DeadLetterDto From(DeadLetterRecord d)
    {
        var span = d.Payload.Span;
        var text = Encoding.UTF8.GetString(span.Length > 2048 ? span[..2048] : span);
        return new(d.Received, d.Topic, d.Reason.ToLabel(), d.Message, text, d.Payload.Length);
    }
}

internal sealed record ModelDto(string Version, string Kind, IReadOnlyList<string> Classes, IReadOnlyList<string> Features, double? Threshold, string Path);

internal sealed record OverviewDto(string Source, bool SourceReady, string Store, bool StoreHealthy, ModelDto Model, StoreCounts Counts,
    long MessagesReceived, long SamplesStored, long DeadLetters, long Alerts, int InputQueue, IReadOnlyList<string> FaultClasses, int DriftingStrings);

/// <summary>GET /api/drift: each string's recent ELBOs against the active model's training distribution.</summary>
internal sealed record DriftDto(DriftReference? Reference, int Window, int MinSamples, double MaxFlaggedRate, int Drifting, IReadOnlyList<StringDriftDto> Strings)
{
    public static DriftDto Of(DriftMonitor monitor)
    {
        var report = monitor.Report();
        return new DriftDto(monitor.Reference, monitor.Options.Window, monitor.Options.MinSamples, monitor.Options.MaxFlaggedRate, report.Count(d => d.Drifting),
            report.Select(d => new StringDriftDto(d.Key.Plant, d.Key.Inverter, d.Key.String, d.Samples, double.IsFinite(d.MedianElbo) ? d.MedianElbo : null, d.FlaggedRate, d.Drifting, d.Reason)).ToList());
    }
}

/// <summary>GET /api/status: the active model, the pipeline's counters, drift per string and the current or last retraining.</summary>
internal sealed record StatusDto(string Model, long MessagesReceived, long SamplesStored, long DeadLetters, DriftDto Drift, Hosting.RetrainStatus Retraining);

/// <summary>One string in <see cref="DriftDto"/>.</summary>
internal sealed record StringDriftDto(string Plant, string Inverter, string String, int Samples, double? MedianElbo, double FlaggedRate, bool Drifting, string? Reason);

internal sealed record ErrorDto(string Error);

internal sealed record ConditionDto(string Code, string Name, string Description, string Severity, string CreatedBy, DateTimeOffset Created)
{
    public static ConditionDto From(PvMonitor.Monitoring.Operations.CatalogCondition c) =>
        new(c.Code, c.Name, c.Description, PvMonitor.Monitoring.Operations.ConditionSeverityNames.ToWireName(c.Severity), c.CreatedBy, c.Created);
}

internal sealed record LabelDto(long Id, string Plant, string String, DateTimeOffset From, DateTimeOffset To, string Condition, string Note, string Author, DateTimeOffset Created)
{
    public static LabelDto Of(PvMonitor.Monitoring.Operations.OperatorLabel l) => new(l.Id, l.Plant, l.String, l.From, l.To, l.Condition, l.Note, l.Author, l.Created);
}

/// <summary>GET /api/me: who the request's token belongs to and its role (viewer or operator; operator when auth is off).</summary>
internal sealed record CallerDto(string Name, string Role);
