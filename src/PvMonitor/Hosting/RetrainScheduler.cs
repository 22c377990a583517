using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PvMonitor.Monitoring.Operations;
using PvMonitor.Monitoring.Operations.Retraining;

namespace PvMonitor.Hosting;

/// <summary>
/// Starts retrainings nobody asked for by hand: (a) at every <c>Retrain:Schedule</c> occurrence when the labels changed
/// since every registered version was trained, and (b) <c>Retrain:NewConditionDelay</c> after the last label of a
/// condition the active model does not know (debounced: each such label restarts the wait). When a retraining is already
/// running, (b) tries again a minute later. Each start is audited as <c>retrain.start</c> by <c>scheduler</c>.
/// </summary>
public sealed class RetrainScheduler(RetrainingService retraining, ModelHost models, OperationsStore operations, IOptions<RetrainOptions> options,
    TimeProvider time, ILogger<RetrainScheduler> log) : BackgroundService
{
    /// <summary>The actor recorded for automatic retrainings.</summary>
    public const string Actor = "scheduler";

    private static readonly TimeSpan BusyRetry = TimeSpan.FromMinutes(1);
    private readonly object _gate = new();
    private CancellationTokenSource _wake = new();
    private DateTimeOffset? _newConditionDue;
    private string? _newCondition;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var schedule = settings.Schedule.Trim().Length > 0 ? RetrainSchedule.TryParse(settings.Schedule, out _) : null;
        if (schedule is null && settings.NewConditionDelay == TimeSpan.Zero) return;
        if (settings.NewConditionDelay > TimeSpan.Zero) operations.LabelAdded += OnLabelAdded;
        try
        {
            var nextScheduled = schedule?.Next(time.GetUtcNow());
            log.LogInformation("Automatic retraining: schedule {Schedule} (next {Next:u}), {Delay} after a label of a new condition.",
                schedule?.Text ?? "off", nextScheduled, settings.NewConditionDelay == TimeSpan.Zero ? "off" : settings.NewConditionDelay.ToString());
            while (!stoppingToken.IsCancellationRequested)
            {
                var now = time.GetUtcNow();
                DateTimeOffset? due;
                lock (_gate) due = Earliest(nextScheduled, _newConditionDue);
                if (due is null || due > now)
                {
                    await SleepAsync(due is null ? Timeout.InfiniteTimeSpan : due.Value - now, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                if (nextScheduled <= now)
                {
                    nextScheduled = schedule!.Next(now);
                    await StartIfLabelsChangedAsync($"scheduled ({schedule.Text})", stoppingToken).ConfigureAwait(false);
                }

                string? condition;
                lock (_gate)
                {
                    condition = _newConditionDue <= now ? _newCondition : null;
                    if (condition is not null) _newConditionDue = null;
                }

                if (condition is not null && !await StartIfLabelsChangedAsync($"new condition {condition} labelled", stoppingToken).ConfigureAwait(false)
                    && retraining.Status.IsRunning)
                {
                    lock (_gate) _newConditionDue ??= now + BusyRetry;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            operations.LabelAdded -= OnLabelAdded;
        }
    }

    private void OnLabelAdded(OperatorLabel label)
    {
        if (models.Current.Model.Classes.Contains(label.Condition, StringComparer.Ordinal)) return;
        lock (_gate)
        {
            _newCondition = label.Condition;
            _newConditionDue = time.GetUtcNow() + options.Value.NewConditionDelay;
            _wake.Cancel();
        }

        log.LogInformation("Label of new condition {Condition}: retraining in {Delay} unless more labels follow.", label.Condition, options.Value.NewConditionDelay);
    }

    /// <summary>Starts a retraining when the labels differ from those of every registered version; false when it did not start.</summary>
    private async Task<bool> StartIfLabelsChangedAsync(string reason, CancellationToken cancellationToken)
    {
        var labels = await operations.GetLabelsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (labels.Count == 0)
        {
            log.LogInformation("Retraining {Reason} skipped: no labels.", reason);
            return false;
        }

        var hash = RetrainingSetBuilder.LabelHash(labels);
        if (models.Registry.List().FirstOrDefault(e => e.Record.LabelSnapshot == hash) is { } tried)
        {
            log.LogInformation("Retraining {Reason} skipped: version {Version} was trained on these labels ({Gate}).", reason, tried.Version, tried.Record.Gate);
            return false;
        }

        if (!retraining.TryStart(reason, Actor, out var status))
        {
            log.LogInformation("Retraining {Reason} deferred: one is running since {Started:u}.", reason, status.Started);
            return false;
        }

        await operations.RecordAsync(Actor, "retrain.start", reason, CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    private async Task SleepAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        CancellationTokenSource wake;
        lock (_gate) wake = _wake;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, wake.Token);
        try
        {
            await Task.Delay(delay, time, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            lock (_gate)
            {
                if (_wake.IsCancellationRequested)
                {
                    _wake.Dispose();
                    _wake = new CancellationTokenSource();
                }
            }
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <inheritdoc />
    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
