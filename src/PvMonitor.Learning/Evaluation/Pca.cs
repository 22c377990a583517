namespace PvMonitor.Learning.Evaluation;

/// <summary>Principal component analysis of a small row-major matrix (covariance + symmetric eigen decomposition by Jacobi rotations).</summary>
public static class Pca
{
    /// <summary>Projects rows onto the first <paramref name="components"/> principal components (rows × components).</summary>
    public static float[] Project(ReadOnlySpan<float> data, int rows, int cols, int components) => Project(data, rows, cols, components, out _);

    /// <summary>
    /// Projects rows onto the first <paramref name="components"/> principal components (rows × components);
    /// <paramref name="explained"/> gets each component's share of the total variance (its eigenvalue over their sum, 0–1).
    /// </summary>
    public static float[] Project(ReadOnlySpan<float> data, int rows, int cols, int components, out double[] explained)
    {
        if (components < 1 || components > cols) throw new ArgumentOutOfRangeException(nameof(components), components, $"components must be 1–{cols}.");
        explained = new double[components];
        if (rows < 1) return [];
        var mean = new double[cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) mean[c] += data[r * cols + c];
        for (int c = 0; c < cols; c++) mean[c] /= rows;
        var cov = new double[cols, cols];
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < cols; i++)
            {
                double di = data[r * cols + i] - mean[i];
                for (int j = i; j < cols; j++) cov[i, j] += di * (data[r * cols + j] - mean[j]);
            }

        for (int i = 0; i < cols; i++)
            for (int j = i; j < cols; j++)
            {
                cov[i, j] /= Math.Max(1, rows - 1);
                cov[j, i] = cov[i, j];
            }

        var (values, vectors) = JacobiEigen(cov, cols);
        var order = Enumerable.Range(0, cols).OrderByDescending(i => values[i]).ToArray();
        var total = values.Sum(v => Math.Max(0, v));
        for (int k = 0; k < components; k++) explained[k] = total > 0 ? Math.Max(0, values[order[k]]) / total : 0;
        var result = new float[rows * components];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < components; k++)
            {
                double sum = 0;
                for (int c = 0; c < cols; c++) sum += (data[r * cols + c] - mean[c]) * vectors[c, order[k]];
                result[r * components + k] = (float)sum;
            }

        return result;
    }

    private static (double[] Values, double[,] Vectors) JacobiEigen(double[,] a, int n)
    {
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++) off += a[i, j] * a[i, j];
            if (off < 1e-18) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
        }

        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i, i];
        return (values, v);
    }
}
