namespace PvMonitor.Monitoring.Operations;

/// <summary>One row of a <see cref="LatentMap"/>.</summary>
/// <param name="X">Coordinate along the first principal component.</param>
/// <param name="Y">Coordinate along the second principal component.</param>
/// <param name="Label">The row's condition.</param>
public sealed record LatentPoint(double X, double Y, string Label);
