namespace PvMonitor.Monitoring.Storage;

/// <summary>A result store could not write a batch durably; the messages behind it must not be acknowledged.</summary>
public sealed class StoreWriteException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreWriteException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
