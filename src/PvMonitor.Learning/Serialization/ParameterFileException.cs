namespace PvMonitor.Learning.Serialization;

/// <summary>A parameter file is truncated, corrupted, of an unknown version or otherwise unreadable.</summary>
public sealed class ParameterFileException(string message) : Exception(message);
