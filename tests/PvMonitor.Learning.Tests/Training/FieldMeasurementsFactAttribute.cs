namespace PvMonitor.Learning.Tests.Training;

/// <summary>
/// A fact that needs the real PV measurements in <c>../shared/realdata/</c> beside the repository (kept out of it: no
/// licence to redistribute); skipped with the reason where they are absent. <c>PVMONITOR_REALDATA</c> may point elsewhere.
/// </summary>
public sealed class FieldMeasurementsFactAttribute : FactAttribute
{
    /// <summary>Requires <paramref name="relativePath"/> under the real-data folder.</summary>
    public FieldMeasurementsFactAttribute(string relativePath)
    {
        if (FieldMeasurements.Find(relativePath) is null)
            Skip = $"real data {relativePath} not found in ../shared/realdata beside the repository (or PVMONITOR_REALDATA): it is kept out of the repository";
    }
}

/// <summary>Finds files of the real-measurements folder (../shared/realdata).</summary>
public static class FieldMeasurements
{
    /// <summary>The full path of <paramref name="relativePath"/>, or null.</summary>
    public static string? Find(string relativePath)
    {
        if (Environment.GetEnvironmentVariable("PVMONITOR_REALDATA") is { Length: > 0 } root)
            return File.Exists(Path.Combine(root, relativePath)) ? Path.Combine(root, relativePath) : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "PvMonitor.sln")) || dir.Parent is null) continue;
            var path = Path.Combine(dir.Parent.FullName, "shared", "realdata", relativePath);
            return File.Exists(path) ? path : null;
        }

        return null;
    }
}
