namespace PvMonitor.Learning.Torch;

/// <summary>libtorch (TorchSharp's native library) could not be loaded, or the requested device does not exist.</summary>
public sealed class TorchUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TorchUnavailableException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
