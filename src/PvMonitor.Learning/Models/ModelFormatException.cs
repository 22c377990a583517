namespace PvMonitor.Learning.Models;

/// <summary>A model directory or file is missing, corrupt or incompatible; the message names the file and the problem.</summary>
public sealed class ModelFormatException(string message, Exception? inner = null) : Exception(message, inner);
