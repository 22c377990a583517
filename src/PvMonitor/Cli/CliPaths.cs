namespace PvMonitor.Cli;

/// <summary>
/// Checks the paths a verb was given before any work starts: model directories to read, files and folders to write. Every
/// failure is a <see cref="CliException"/> whose one line names the option (exit code 2, a bad argument).
/// </summary>
internal static class CliPaths
{
    /// <summary>
    /// The full path of the model directory <paramref name="given"/> by <paramref name="option"/>: as is when absolute; a relative
    /// one against the working directory, then next to the executable and its parents (where the shipped <c>models/default</c> is).
    /// </summary>
    /// <exception cref="CliException">The path is a file, a folder without manifest.json, or does not exist.</exception>
    public static string ModelDirectory(string given, string option)
    {
        var full = Path.GetFullPath(given);
        if (File.Exists(full))
            throw new CliException($"{option}: '{full}' is a file, not a model directory (a folder with manifest.json and weights.pt, written by 'pvmonitor train --out DIR').");
        if (Directory.Exists(full))
        {
            return File.Exists(Path.Combine(full, "manifest.json"))
                ? full
                : throw new CliException($"{option}: '{full}' is not a model directory: manifest.json is missing.");
        }

        if (!Path.IsPathRooted(given) && Hosting.ModelLocator.TryResolve(given) is { } shipped) return shipped;
        throw new CliException($"{option}: model directory '{full}' does not exist.");
    }

    /// <summary>Creates the folder of <paramref name="file"/> and checks that a file can be written there.</summary>
    /// <exception cref="CliException">The path is a folder, or its folder cannot be created or written.</exception>
    public static void EnsureWritableFile(FileInfo file, string option)
    {
        if (Directory.Exists(file.FullName)) throw new CliException($"{option}: '{file.FullName}' is a folder; give a file name.");
        EnsureWritableFolder(Path.GetDirectoryName(file.FullName)!, option);
    }

    /// <summary>Creates <paramref name="folder"/> (and its parents) and checks that files can be written in it.</summary>
    /// <exception cref="CliException">The folder cannot be created or written (permissions, a file in the way, read-only disk).</exception>
    public static void EnsureWritableFolder(string folder, string option)
    {
        if (Hosting.WritableFolder.Problem(folder) is { } problem) throw new CliException($"{option}: {problem}");
    }
}
