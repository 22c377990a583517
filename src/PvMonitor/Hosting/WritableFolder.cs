namespace PvMonitor.Hosting;

/// <summary>Checks that a folder can take files before any work or store depends on it.</summary>
public static class WritableFolder
{
    /// <summary>Creates <paramref name="folder"/> (and its parents) and writes and deletes a probe file in it; returns why not, or null.</summary>
    public static string? Problem(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (File.Exists(full)) return $"'{full}' is a file, not a folder.";
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".pvmonitor-write-test-{Environment.ProcessId}");
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot write to '{full}': {ex.Message}";
        }
    }

    /// <summary>Checks <c>Data:Path</c> before the model registry, the operations store or the result store open there.</summary>
    /// <exception cref="StartupException">It cannot take files (a configuration error, exit 2).</exception>
    public static void EnsureDataPath(string folder)
    {
        if (Problem(folder) is { } problem) throw new StartupException($"Data:Path: {problem}", isConfigurationError: true);
    }
}
