namespace PvMonitor.Hosting;

/// <summary>
/// The worker cannot start: the model does not load, the store does not open, a device is missing. The message is one line for
/// the operator, naming the setting to fix; <see cref="IsConfigurationError"/> selects the exit code (2 for a bad setting, 1 otherwise).
/// </summary>
public sealed class StartupException(string message, bool isConfigurationError = false, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>True when a setting is wrong (exit code 2) rather than an environment failure (exit code 1).</summary>
    public bool IsConfigurationError { get; } = isConfigurationError;
}
