using Microsoft.Extensions.Logging;
using PvMonitor.Hosting.Options;
using PvMonitor.Learning.Models;
using PvMonitor.Learning.Torch;
using PvMonitor.Monitoring.Operations;
using PvMonitor.Monitoring.Scoring;

namespace PvMonitor.Hosting;

/// <summary>
/// The model the worker scores with, and the model registry (<c>Data:Path/models</c>) it can switch to. At start the
/// registry's active version is used when there is one and its files pass their checksum; otherwise <c>Model:Path</c>.
/// <see cref="ActivateAsync"/> loads a version, then swaps it in atomically (<see cref="Activated"/>: the pipeline scores
/// every later batch with it) and records it as active; a version whose files fail their checksum is refused and the
/// current one stays.
/// </summary>
public sealed class ModelHost
{
    private readonly ModelOptions _options;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _activation = new(1, 1);
    private ActiveModel _current;

    private ModelHost(ModelOptions options, ModelRegistry registry, ActiveModel current, ILogger log)
    {
        _options = options;
        Registry = registry;
        _current = current;
        _log = log;
    }

    /// <summary>The model in use.</summary>
    public ActiveModel Current => Volatile.Read(ref _current);

    /// <summary>The registry.</summary>
    public ModelRegistry Registry { get; }

    /// <summary>Raised after a new model became current (the pipeline swaps its scorer).</summary>
    public event Action<ActiveModel>? Activated;

    /// <summary>
    /// Imports <c>Model:Path</c>'s model into the registry and activates it when its version is not registered yet (so a new
    /// <c>Model:Path</c> wins, and the shipped model stays available for rollback), then loads the registry's active version.
    /// Falls back to <c>Model:Path</c> when the registry cannot be written or its active version fails its checksum.
    /// </summary>
    /// <exception cref="StartupException">No model can be loaded, or the device is not available.</exception>
    public static ModelHost Start(ModelOptions options, ModelRegistry registry, TimeProvider time, ILogger log)
    {
        TorchRuntime.SetThreads(options.Threads);
        var configured = ModelLocator.Resolve(options.Path);
        try
        {
            var manifest = ModelManifestFile.ReadFromDirectory(configured);
            if (registry.Find(manifest.Version) is null)
            {
                registry.Add(configured, new RegistryRecord("imported", null, null, $"Model:Path {configured}", null, time.GetUtcNow(), null));
                registry.SetActive(manifest.Version);
                log.LogInformation("Model {Version} from Model:Path imported into the registry {Registry} and activated.", manifest.Version, registry.Root);
            }
            else if (registry.AdoptSnapshot(configured))
            {
                log.LogInformation("Model {Version} in the registry {Registry} got the training snapshot of Model:Path's copy.", manifest.Version, registry.Root);
            }
        }
        catch (Exception ex) when (ex is ModelFormatException or IOException or UnauthorizedAccessException or OperationRejectedException or System.Text.Json.JsonException)
        {
            log.LogWarning("Model:Path's model could not be added to the registry {Registry} ({Reason}); scoring with it directly.", registry.Root, ex.Message);
        }

        if (registry.ActiveVersion is { } version)
        {
            try
            {
                var active = Load(options, registry.PathOf(version)); // loading verifies the weights' checksum
                log.LogInformation("Model {Version} is active in the registry {Registry}.", version, registry.Root);
                return new ModelHost(options, registry, active, log);
            }
            catch (Exception ex) when (ex is ModelFormatException or IOException or OperationRejectedException or StartupException)
            {
                log.LogError("The registry's active model {Version} cannot be used ({Reason}); scoring with Model:Path instead.", version, ex.Message);
            }
        }

        return new ModelHost(options, registry, Load(options, configured), log);
    }

    /// <summary>Makes registry version <paramref name="version"/> the model in use.</summary>
    /// <exception cref="OperationRejectedException">No such version (NotFound), or its files fail their checksum or do not load (Conflict).</exception>
    public async Task<RegistryEntry> ActivateAsync(string version, CancellationToken cancellationToken = default)
    {
        await _activation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ActiveModel next;
            try
            {
                var entry = Registry.Get(version);
                next = await Task.Run(() => Load(_options, entry.Path), cancellationToken).ConfigureAwait(false); // verifies the checksum
            }
            catch (Exception ex) when (ex is ModelFormatException or StartupException or IOException)
            {
                throw new OperationRejectedException(RejectionKind.Conflict, "version", $"Model version {version} was refused: {ex.Message} The active model stays {Current.Manifest.Version}.");
            }

            var previous = Current.Manifest.Version;
            Volatile.Write(ref _current, next);
            Activated?.Invoke(next);
            var activated = Registry.SetActive(version, verify: false);
            _log.LogInformation("Model {Version} activated (was {Previous}).", version, previous);
            return activated;
        }
        finally
        {
            _activation.Release();
        }
    }

    private static ActiveModel Load(ModelOptions options, string path)
    {
        IConditionModel model;
        try
        {
            model = ModelDirectory.Load(path, device: TorchRuntime.ResolveDevice(options.Device, "Model:Device"));
        }
        catch (DeviceNotAvailableException ex)
        {
            throw new StartupException("Configuration error: " + ex.Message, isConfigurationError: true, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ModelFormatException or InvalidDataException or System.Text.Json.JsonException or ArgumentException)
        {
            throw new StartupException($"Model:Path: cannot load the model at '{path}': {ex.Message}", inner: ex);
        }

        var score = options.Score;
        if (score != AnomalyScore.Elbo && PvMonitor.Learning.Evaluation.ModelEvaluator.ScoreProblem(model, score) is { } problem)
        {
            (model as IDisposable)?.Dispose(); // refused: free its native weights (an activation keeps the current model)
            throw new StartupException($"Configuration error: Model:AnomalyScore is '{AnomalyScores.Name(score)}', but {problem} Set Model:AnomalyScore to elbo, or retrain the model with this version.", isConfigurationError: true);
        }

        return new ActiveModel(model, path, new ConditionScorer(model, score));
    }
}
