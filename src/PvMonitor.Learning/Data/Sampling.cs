
namespace PvMonitor.Learning.Data;

/// <summary>Seeded splits and label subsampling (same seed → same rows).</summary>
public static class Sampling
{
    /// <summary>A random permutation of 0..n−1.</summary>
    public static int[] Permutation(int n, RandomSource random)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        random.Shuffle(order.AsSpan());
        return order;
    }

    /// <summary>Splits 0..n−1 at random into a training part and a test part holding <paramref name="testFraction"/> of the rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException">testFraction is not in [0, 1).</exception>
    public static (int[] Train, int[] Test) TrainTestSplit(int n, double testFraction, RandomSource random)
    {
        if (testFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "testFraction must be in [0, 1).");
        var order = Permutation(n, random);
        int test = (int)Math.Round(n * testFraction);
        return (order[test..], order[..test]);
    }

    /// <summary>
    /// Keeps at most <paramref name="perClass"/> labels of each class, chosen at random, and sets the other labels to −1
    /// (unlabeled). Returns a new array; rows already −1 stay −1.
    /// </summary>
    public static int[] KeepLabelsPerClass(ReadOnlySpan<int> labels, int classCount, int perClass, RandomSource random)
    {
        if (perClass < 0) throw new ArgumentOutOfRangeException(nameof(perClass), perClass, "perClass must be ≥ 0.");
        var result = new int[labels.Length];
        result.AsSpan().Fill(-1);
        var kept = new int[classCount];
        foreach (int i in Permutation(labels.Length, random))
        {
            int y = labels[i];
            if (y < 0 || y >= classCount || kept[y] >= perClass) continue;
            kept[y]++;
            result[i] = y;
        }

        return result;
    }
}
