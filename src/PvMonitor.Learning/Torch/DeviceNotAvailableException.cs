namespace PvMonitor.Learning.Torch;

/// <summary>A device was asked for (e.g. <c>cuda</c>) that this process cannot use: a configuration error.</summary>
public sealed class DeviceNotAvailableException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public DeviceNotAvailableException(string message, string? paramName = null) : base(message, paramName)
    {
    }
}
