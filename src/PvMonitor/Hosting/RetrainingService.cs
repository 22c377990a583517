using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PvMonitor.Hosting.Options;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Models.Classifiers;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Training;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Operations;
using PvMonitor.Monitoring.Operations.Retraining;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Hosting;

/// <summary>
/// Retrains on operator labels in the background, one at a time, while scoring goes on: reads the labelled ranges and recent
/// unlabeled rows back from the store (<see cref="RetrainingSetBuilder"/>), trains a candidate of the active model's kind
/// (the class set grows with new conditions), judges it on held-out rows (<see cref="RetrainingGate"/>), registers it with
/// the gate's decision, and activates it only when accepted. Started by <c>POST /api/retrain</c>; cancellable.
/// An sdgm retrains with the default SDGM options (fine-tuned from the active model when <c>FineTune</c> is on); the other
/// latent kinds (m2, adgm, cagem) retrain from scratch with the parent's kind and options as its manifest records them
/// (architecture, β, prior and pseudo-inputs, consistency weight): fine-tuning is sdgm-only
/// (<see cref="ModelKind.SupportsFineTuning"/>). The baselines retrain with their defaults.
/// </summary>
public sealed class RetrainingService(ModelHost models, IResultReader reader, OperationsStore operations, IOptions<RetrainOptions> options,
    IOptions<IngestOptions> ingest, IOptions<DataOptions> data, TimeProvider time, ILogger<RetrainingService> log) : BackgroundService
{
    private const int LogLines = 30;
    private readonly Channel<(string Reason, string Actor)> _requests = Channel.CreateBounded<(string, string)>(1);
    private readonly object _gate = new();
    private readonly List<string> _log = [];
    private RetrainStatus _status = RetrainStatus.Idle;
    private CancellationTokenSource? _cancel;

    /// <summary>The current or last retraining.</summary>
    public RetrainStatus Status
    {
        get
        {
            lock (_gate) return _status with { Log = _log.ToArray() };
        }
    }

    /// <summary>Queues a retraining; false (and the current status) when one is running or queued.</summary>
    public bool TryStart(string reason, string actor, out RetrainStatus status)
    {
        lock (_gate)
        {
            if (_status.IsRunning || !_requests.Writer.TryWrite((reason, actor)))
            {
                status = _status with { Log = _log.ToArray() };
                return false;
            }

            _log.Clear();
            _cancel = new CancellationTokenSource();
            _status = RetrainStatus.Idle with { State = "running", Phase = "queued", Reason = reason, RequestedBy = actor, Started = time.GetUtcNow() };
            status = _status;
            return true;
        }
    }

    /// <summary>Cancels the running retraining; false when none runs.</summary>
    public bool Cancel()
    {
        lock (_gate)
        {
            if (!_status.IsRunning || _cancel is null) return false;
            _cancel.Cancel();
            return true;
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (reason, actor) in _requests.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            CancellationToken token;
            lock (_gate) token = _cancel!.Token;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, stoppingToken);
            await RunAsync(reason, actor, linked.Token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The latent options a retrained candidate of <paramref name="parent"/>'s kind uses: the SDGM defaults with the parent's
    /// prior (standard or VampPrior with its pseudo-inputs) and consistency weight for an sdgm, the parent's recorded options
    /// for the other latent kinds; both with <paramref name="epochs"/> and balanced labelled batches.
    /// </summary>
    internal static SdgmOptions RetrainOptionsFor(ModelManifest parent, int epochs)
    {
        if (!ModelKinds.IsLatent(parent.Kind)) return new SdgmOptions { Epochs = epochs, BalancedLabels = true };
        var recorded = ModelHyperparameters.ToSdgmOptions(parent.Hyperparameters, parent.Prior);
        // An sdgm retrains with the defaults (fine-tuning takes the parent's architecture anyway), but keeps the prior and
        // the consistency term an operator chose for it: they are what makes the model what it is.
        var options = parent.Kind == ModelKinds.Sdgm
            ? new SdgmOptions { Prior = recorded.Prior, PseudoInputs = recorded.PseudoInputs, Consistency = recorded.Consistency }
            : recorded;
        return options with { Epochs = epochs, BalancedLabels = true };
    }

    private async Task RunAsync(string reason, string actor, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var parent = models.Current;
        try
        {
            Update(s => s with { Phase = "reading data" }, $"Retraining requested by {actor}: {reason}");
            var labels = await operations.GetLabelsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var conditions = await operations.GetConditionsAsync(cancellationToken).ConfigureAwait(false);
            var healthy = conditions.Where(c => c.Severity == ConditionSeverity.Info).Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
            var snapshot = ModelDirectory.ReadSnapshot(parent.Path, parent.Manifest);
            if (snapshot is null)
                Update(s => s, $"The active model {parent.Manifest.Version} has no training snapshot: only operator labels and the active model's confident predictions keep its conditions (see 'pvmonitor models snapshot').");
            var set = await RetrainingSetBuilder.BuildAsync(reader, labels, parent.Model, snapshot, settings, ingest.Value.NightIrradianceThreshold, time.GetUtcNow(), cancellationToken)
                .ConfigureAwait(false);
            Update(s => s with { Phase = "training", MaxEpochs = settings.Epochs },
                Fmt($"{set.Training.Rows} training rows ({set.OperatorRows} labelled by operators, {set.SnapshotRows} from the active model's training snapshot, {set.PseudoLabeledRows} labelled by the active model, {set.UnlabeledRows} unlabeled), {set.Holdout.Rows} held out; new conditions: {(set.NewClasses.Count == 0 ? "none" : string.Join(", ", set.NewClasses))}."));

            var request = new TrainRequest
            {
                Kind = parent.Manifest.Kind,
                PreferredClassOrder = parent.Manifest.Classes.Concat(set.NewClasses).ToList(),
                Seed = settings.Seed,
                Sdgm = RetrainOptionsFor(parent.Manifest, settings.Epochs),
                Classifier = parent.Manifest.Kind == ModelKinds.Mlr ? ClassifierOptions.Mlr with { Epochs = settings.Epochs } : ClassifierOptions.Mlp with { Epochs = settings.Epochs },
                Created = time.GetUtcNow(),
                TrainingDataHash = set.LabelSnapshot,
                TimeLimit = settings.TimeLimit,
                Parent = settings.FineTune && ModelKinds.Find(parent.Manifest.Kind) is { SupportsFineTuning: true } ? parent.Model : null,
            };
            var progress = new Progress(this);
            var candidate = await Task.Factory.StartNew(() =>
            {
                try
                {
                    Thread.CurrentThread.Priority = ThreadPriority.BelowNormal; // scoring comes first
                }
                catch (Exception ex) when (ex is PlatformNotSupportedException or ThreadStateException)
                {
                }

                return ConditionModelTrainer.Train(set.Training, request, progress, cancellationToken);
            }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);

            Update(s => s with { Phase = "validating", EtaSeconds = 0 }, Fmt($"Trained {candidate.Manifest.Version}: classes {string.Join(",", candidate.Classes)}."));
            var decision = RetrainingGate.Evaluate(candidate, parent.Model, set.Holdout, set.NewClasses, healthy.Contains, settings);
            var staging = data.Value.Resolve($".retrain-{Guid.NewGuid():N}");
            RegistryEntry entry;
            try
            {
                ModelDirectory.Save(staging, candidate, set.NextSnapshot, settings.SnapshotRowsPerClass);
                entry = models.Registry.Add(staging, new RegistryRecord("retrained", parent.Manifest.Version, decision.Accepted ? "accepted" : "rejected",
                    decision.Reason, set.LabelSnapshot, time.GetUtcNow(), null, decision.Report));
            }
            finally
            {
                if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            }

            if (decision.Accepted)
            {
                Update(s => s with { Phase = "activating", Candidate = entry.Version }, "Gate passed: " + decision.Reason);
                await models.ActivateAsync(entry.Version, CancellationToken.None).ConfigureAwait(false);
                await operations.RecordAsync(actor, "model.activate", $"{entry.Version} (was {parent.Manifest.Version}) after retraining", CancellationToken.None).ConfigureAwait(false);
            }

            var state = decision.Accepted ? "accepted" : "rejected";
            Finish(state, entry.Version, decision.Reason, (decision.Accepted ? "Activated " : "Rejected, kept in the registry: ") + entry.Version);
            await operations.RecordAsync(actor, "retrain." + state, $"{entry.Version}: {decision.Reason}", CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Finish("cancelled", null, "Cancelled.", "Cancelled; the active model stays " + parent.Manifest.Version);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException or ModelFormatException or OperationRejectedException or PvMonitor.Learning.Torch.TorchUnavailableException)
        {
            log.LogError(ex, "Retraining failed.");
            Finish("failed", null, ex.Message, "Failed: " + ex.Message);
        }
    }

    private void Update(Func<RetrainStatus, RetrainStatus> change, string? line = null)
    {
        lock (_gate)
        {
            _status = change(_status);
            if (line is null) return;
            _log.Add($"{time.GetUtcNow():HH:mm:ss} {line}");
            if (_log.Count > LogLines) _log.RemoveAt(0);
        }

        log.LogInformation("Retraining: {Line}", line);
    }

    private void Finish(string state, string? candidate, string outcome, string line) =>
        Update(s => s with { State = state, Phase = null, Finished = time.GetUtcNow(), Candidate = candidate ?? s.Candidate, Outcome = outcome, EtaSeconds = null }, line);

    private static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Training progress into the status (epochs, ETA from the mean epoch time).</summary>
    private sealed class Progress(RetrainingService owner) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            var perEpoch = value.Epoch > 0 ? value.Elapsed.TotalSeconds / value.Epoch : 0;
            owner.Update(s => s with { Epoch = value.Epoch, MaxEpochs = value.MaxEpochs, EtaSeconds = perEpoch * Math.Max(0, value.MaxEpochs - value.Epoch) },
                value.Epoch % 10 == 0 ? Fmt($"epoch {value.Epoch}/{value.MaxEpochs}: loss {value.Loss:F3}, validation accuracy {value.ValidationAccuracy:P1}") : null);
        }
    }
}
