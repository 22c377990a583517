namespace PvMonitor.Learning.Evaluation;

/// <summary>Precision, recall, F1 and support of one class.</summary>
public readonly record struct ClassMetrics(double Precision, double Recall, double F1, int Support);
