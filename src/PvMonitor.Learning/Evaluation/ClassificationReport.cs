namespace PvMonitor.Learning.Evaluation;

/// <summary>Accuracy, macro-F1, per-class metrics and the confusion matrix of a set of predictions.</summary>
public sealed class ClassificationReport
{
    private ClassificationReport(int[,] confusion, ClassMetrics[] perClass, double accuracy, double macroF1, int count)
    {
        Confusion = confusion;
        PerClass = perClass;
        Accuracy = accuracy;
        MacroF1 = macroF1;
        Count = count;
    }

    /// <summary>Confusion counts: [true class, predicted class].</summary>
    public int[,] Confusion { get; }

    /// <summary>Metrics per class index.</summary>
    public IReadOnlyList<ClassMetrics> PerClass { get; }

    /// <summary>Fraction of correct predictions (0–1).</summary>
    public double Accuracy { get; }

    /// <summary>Unweighted mean of the per-class F1 over classes with support or predictions (0–1).</summary>
    public double MacroF1 { get; }

    /// <summary>Number of rows scored.</summary>
    public int Count { get; }

    /// <summary>Builds the report; rows whose true label is negative are skipped.</summary>
    /// <exception cref="ArgumentException">Lengths differ or a label is ≥ <paramref name="classCount"/>.</exception>
    public static ClassificationReport Compute(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int classCount)
    {
        if (truth.Length != predicted.Length) throw new ArgumentException($"truth has {truth.Length} rows but predicted has {predicted.Length}.", nameof(predicted));
        var confusion = new int[classCount, classCount];
        int n = 0, correct = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            int t = truth[i], p = predicted[i];
            if (t < 0) continue;
            if (t >= classCount || p < 0 || p >= classCount) throw new ArgumentException($"Row {i}: label {t} / prediction {p} outside 0..{classCount - 1}.");
            confusion[t, p]++;
            n++;
            if (t == p) correct++;
        }

        var perClass = new ClassMetrics[classCount];
        double f1Sum = 0;
        int f1Classes = 0;
        for (int k = 0; k < classCount; k++)
        {
            int tp = confusion[k, k], support = 0, predictedK = 0;
            for (int j = 0; j < classCount; j++)
            {
                support += confusion[k, j];
                predictedK += confusion[j, k];
            }

            double precision = predictedK == 0 ? 0 : (double)tp / predictedK;
            double recall = support == 0 ? 0 : (double)tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass[k] = new ClassMetrics(precision, recall, f1, support);
            if (support > 0 || predictedK > 0)
            {
                f1Sum += f1;
                f1Classes++;
            }
        }

        return new ClassificationReport(confusion, perClass, n == 0 ? 0 : (double)correct / n, f1Classes == 0 ? 0 : f1Sum / f1Classes, n);
    }
}
