using PvMonitor.Learning.Data;
using PvMonitor.Learning.Training;

namespace PvMonitor.Learning.Tests.Models;

/// <summary>Gaussian clusters in d dimensions: class c has mean 3·e_c (plus a shared offset) and unit-ish noise.</summary>
internal static class SyntheticClusters
{
    public static (float[] X, int[] Y) Make(int perClass, int classes, int dims, ulong seed, int firstClass = 0)
    {
        var r = new RandomSource(seed);
        var x = new float[perClass * classes * dims];
        var y = new int[perClass * classes];
        int row = 0;
        for (int c = firstClass; c < firstClass + classes; c++)
            for (int i = 0; i < perClass; i++, row++)
            {
                y[row] = c;
                for (int j = 0; j < dims; j++)
                    x[row * dims + j] = 0.6f * r.NextNormal() + (j == c % dims ? 3f : 0f) + (c >= dims ? -3f * ((j + c) % 2) : 0f);
            }

        return (x, y);
    }

    public static TrainingSet Set(float[] x, int[] y, int dims, int classes) => new(x, dims, y, classes);
}
