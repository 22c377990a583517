

namespace PvMonitor.Hosting;

/// <summary>Finds the model directory named by <c>Model:Path</c>.</summary>
public static class ModelLocator
{
    /// <summary>
    /// An absolute path as is; a relative one against the working directory, then against the executable's folder and its
    /// parents (so <c>models/default</c> is found from a build output inside the repository).
    /// </summary>
    /// <exception cref="StartupException">No directory with a <c>manifest.json</c> was found.</exception>
    public static string Resolve(string path) => TryResolve(path) ?? throw Missing(path);

    /// <summary>As <see cref="Resolve"/>, but null when no directory with a <c>manifest.json</c> was found.</summary>
    public static string? TryResolve(string path)
    {
        if (Path.IsPathRooted(path))
            return HasManifest(path) ? path : null;
        var candidate = Path.GetFullPath(path);
        if (HasManifest(candidate)) return candidate;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            candidate = Path.Combine(dir.FullName, path);
            if (HasManifest(candidate)) return candidate;
        }

        return null;
    }

    private static bool HasManifest(string dir) => File.Exists(Path.Combine(dir, "manifest.json"));

    private static StartupException Missing(string path) =>
        new($"Model:Path: no model directory (with manifest.json) at '{path}' (searched the working directory and the executable's folder and parents). Train one with 'pvmonitor train --out DIR' and set Model:Path.");
}
