namespace PvMonitor.Learning.Data;

/// <summary>A data file is malformed; the message names the line and column.</summary>
public sealed class DataFormatException(string message) : Exception(message);
