namespace PvMonitor.Learning.Models;

/// <summary>The training snapshot of a model directory (<see cref="TrainingSnapshot"/>).</summary>
/// <param name="File">File name inside the model directory (<c>training-snapshot.csv.gz</c>).</param>
/// <param name="Sha256">SHA-256 (lower-case hex) of the file's bytes.</param>
/// <param name="Rows">Labelled rows in it.</param>
/// <param name="RowsPerClass">The most rows kept of one class.</param>
public sealed record SnapshotInfo(string File, string Sha256, int Rows, int RowsPerClass);
