using Cronos;

namespace PvMonitor.Monitoring.Operations.Retraining;

/// <summary>
/// <c>Retrain:Schedule</c>: a cron expression (Cronos) evaluated in UTC — five fields (minute hour day-of-month month
/// day-of-week, e.g. <c>0 2 * * *</c> = 02:00 every day) or six with seconds first (<c>*/30 * * * * *</c>).
/// </summary>
public sealed class RetrainSchedule
{
    private readonly CronExpression _expression;

    private RetrainSchedule(string text, CronExpression expression)
    {
        Text = text;
        _expression = expression;
    }

    /// <summary>The expression as configured.</summary>
    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; null with <paramref name="error"/> (naming the key) when it is not a cron expression.</summary>
    public static RetrainSchedule? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var fields = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        error = null;
        if (fields is not (5 or 6))
        {
            error = $"Retrain:Schedule must be a cron expression of 5 fields (minute hour day month weekday, e.g. '0 2 * * *') or 6 with seconds first (was '{text}': {fields} fields).";
            return null;
        }

        try
        {
            return new RetrainSchedule(trimmed, CronExpression.Parse(trimmed, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard));
        }
        catch (CronFormatException ex)
        {
            error = $"Retrain:Schedule: '{text}' is not a valid cron expression ({ex.Message.TrimEnd('.')}).";
            return null;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/> (UTC), or null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => _expression.GetNextOccurrence(after, TimeZoneInfo.Utc);
}
