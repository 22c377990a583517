using System.Globalization;
using System.Text;

namespace PvMonitor.Monitoring.Storage.Influx.Writing;

/// <summary>
/// Appends dead letters to a line-protocol file: a comment line <c># time HTTP status: message</c>, then the line itself,
/// so the file can be fixed and replayed with any line-protocol tool. Flushed after every letter.
/// </summary>
public sealed class FileDeadLetterSink : IDeadLetterSink, IDisposable
{
    private readonly object _gate = new();
    private readonly FileStream _file;

    /// <summary>Opens (creating folders as needed) <paramref name="path"/> for appending.</summary>
    public FileDeadLetterSink(string path)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
            Directory.CreateDirectory(dir);
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        Path = path;
    }

    /// <summary>The file written to.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public void Write(DeadLetter letter)
    {
        var reason = letter.Reason.Replace('\n', ' ').Replace('\r', ' ');
        var text = string.Create(CultureInfo.InvariantCulture,
            $"# {letter.Time:yyyy-MM-ddTHH:mm:ss.fffZ} HTTP {letter.HttpStatus}: {reason}\n{letter.Line}\n");
        var bytes = Encoding.UTF8.GetBytes(text);
        lock (_gate)
        {
            _file.Write(bytes);
            _file.Flush(flushToDisk: false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
            _file.Dispose();
    }
}
