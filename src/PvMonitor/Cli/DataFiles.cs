using System.Security.Cryptography;
using PvMonitor.Learning.Data;

namespace PvMonitor.Cli;

/// <summary>Opening and hashing data files for the verbs, with errors that name the file.</summary>
internal static class DataFiles
{
    /// <summary>Reads the feature columns and label column of a CSV file.</summary>
    /// <exception cref="CliException">The file is missing or malformed (exit code 1, message names file, line and column).</exception>
    public static TabularData ReadCsv(FileInfo file, IReadOnlyList<string> features, string? labelColumn, bool labelOptional = false)
    {
        if (!file.Exists) throw new CliException($"--data: file '{file.FullName}' does not exist.");
        try
        {
            using var reader = new StreamReader(file.FullName, System.Text.Encoding.UTF8, true, 1 << 16);
            return CsvTableReader.Read(reader, features, labelColumn, labelOptional);
        }
        catch (DataFormatException ex)
        {
            throw new CliException($"{file.FullName}: {ex.Message}", ExitCodes.Failure);
        }
    }

    /// <summary>SHA-256 of the file's bytes, lower-case hex.</summary>
    public static string Sha256(FileInfo file)
    {
        using var stream = file.OpenRead();
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
