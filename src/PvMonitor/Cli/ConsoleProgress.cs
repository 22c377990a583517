using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PvMonitor.Cli;

/// <summary>
/// Progress for long work: one live line on stderr when it is a terminal (title, status, bar, percentage and one ETA, fitted
/// to the terminal's width), otherwise plain lines (at most one every few seconds, plus the first and the last), so piped
/// output and CI logs stay readable. stdout is left for results. The ETA is estimated here from the elapsed time and the
/// fraction done, so every verb gets the same one.
/// </summary>
internal static class ConsoleProgress
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="work"/>, which reports (fraction 0–1, status text).</summary>
    /// <param name="title">What runs, e.g. "train sdgm".</param>
    /// <param name="work">The work; it reports its progress.</param>
    /// <param name="error">Where plain lines go (default <see cref="Console.Error"/>); the live line is drawn only on a terminal's stderr.</param>
    /// <param name="etaLabel">"ETA", or "ETA≤" when the work may end sooner (early stopping).</param>
    public static Task<T> RunAsync<T>(string title, Func<IProgress<(double Fraction, string Status)>, Task<T>> work, TextWriter? error = null, string etaLabel = "ETA")
    {
        var live = (error is null || ReferenceEquals(error, Console.Error)) && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null;
        return live
            ? RunLiveAsync(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }), title, work, etaLabel)
            : RunPlainAsync(error ?? Console.Error, title, work, etaLabel);
    }

    /// <summary>Plain lines: "title:  42.0%  status  ETA 0:01:23": the first report and the first with an ETA at once, then at most one per interval, and the last.</summary>
    internal static async Task<T> RunPlainAsync<T>(TextWriter error, string title, Func<IProgress<(double Fraction, string Status)>, Task<T>> work, string etaLabel)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? last = null;
        var etaShown = false;
        var plain = new SynchronousProgress(p =>
        {
            var eta = Eta(p.Fraction, clock.Elapsed, etaLabel);
            // The first report, the first with an ETA, then one per interval, and the last.
            var firstEta = !etaShown && p.Fraction > 0;
            if (last is { } l && clock.Elapsed - l < PlainInterval && p.Fraction < 1 && !firstEta) return;
            last = clock.Elapsed;
            etaShown |= p.Fraction > 0;
            error.WriteLine($"{title}: {p.Fraction * 100,5:0.0}%  {p.Status}{(eta.Length > 0 && p.Status.Length > 0 ? "  " : "")}{eta}");
        });
        return await work(plain).ConfigureAwait(false);
    }

    /// <summary>The live line on <paramref name="console"/> (a terminal's stderr; tests pass one of a fixed width).</summary>
    internal static async Task<T> RunLiveAsync<T>(IAnsiConsole console, string title, Func<IProgress<(double Fraction, string Status)>, Task<T>> work, string etaLabel)
    {
        T value = default!;
        var column = new LineColumn(etaLabel);
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(column)
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(title, maxValue: 1.0);
                var progress = new SynchronousProgress(p =>
                {
                    task.Value = Math.Clamp(p.Fraction, 0, 1);
                    task.Description = p.Status.Length == 0 ? title : $"{title} {p.Status}";
                });
                value = await work(progress).ConfigureAwait(false);
                task.Value = 1.0;
            }).ConfigureAwait(false);
        return value;
    }

    /// <summary>
    /// One progress line at most <paramref name="width"/> characters: "TEXT [bar] PCT ETA". The percentage and the ETA always
    /// show; the bar takes what is left (up to 30, none below 5); the text is cut at the end with "…" only when it does not fit.
    /// </summary>
    internal static string FormatLine(string text, double fraction, TimeSpan elapsed, int width, string etaLabel)
    {
        fraction = Math.Clamp(fraction, 0, 1);
        var eta = Eta(fraction, elapsed, etaLabel);
        var right = $"{fraction * 100,3:0}%" + (eta.Length > 0 ? " " + eta : "");
        width = Math.Max(width, right.Length + 2);
        var room = width - right.Length - 1; // text, the bar and their spaces
        var bar = Math.Min(30, room - text.Length - 3); // " [" and "]" around the bar
        if (bar >= 5)
        {
            var filled = (int)Math.Round(fraction * bar);
            return $"{text} [{new string('#', filled)}{new string('-', bar - filled)}] {right}";
        }

        if (text.Length > room) text = text[..Math.Max(0, room - 1)] + "…";
        return $"{text.PadRight(room)} {right}";
    }

    /// <summary>"ETA 0:01:23" while running (from the rate so far), "took 0:01:23" at the end, empty before anything is done.</summary>
    internal static string Eta(double fraction, TimeSpan elapsed, string etaLabel)
    {
        if (fraction >= 1) return $"took {Clock(elapsed)}";
        if (fraction <= 0 || elapsed <= TimeSpan.Zero) return "";
        return $"{etaLabel} {Clock(elapsed * ((1 - fraction) / fraction))}";
    }

    private static string Clock(TimeSpan t) =>
        t.TotalHours >= 100 ? ">99h" : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}");

    /// <summary>The whole line as one column, so Spectre never squeezes the text to "…" to fit its own columns.</summary>
    private sealed class LineColumn(string etaLabel) : ProgressColumn
    {
        protected override bool NoWrap => true;

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(FormatLine(task.Description, task.Value / task.MaxValue, task.ElapsedTime ?? TimeSpan.Zero, options.ConsoleSize.Width - 1, etaLabel));
    }

    /// <summary>Reports on the caller's thread, serialised (no SynchronizationContext hop, no reordering).</summary>
    private sealed class SynchronousProgress(Action<(double Fraction, string Status)> report) : IProgress<(double Fraction, string Status)>
    {
        private readonly Lock _gate = new();

        public void Report((double Fraction, string Status) value)
        {
            lock (_gate) report(value);
        }
    }
}
