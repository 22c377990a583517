using Spectre.Console;

namespace PvMonitor.Cli;

/// <summary>
/// Progress for long work: a live bar on stderr when it is a terminal, otherwise plain log lines (at most one every
/// few seconds, plus the last), so piped output and CI logs stay readable. stdout is left for results.
/// </summary>
internal sealed class ConsoleProgress
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="work"/>, which reports (fraction 0–1, status text).</summary>
    public static async Task<T> RunAsync<T>(string title, Func<IProgress<(double Fraction, string Status)>, Task<T>> work)
    {
        if (Console.IsErrorRedirected || Environment.GetEnvironmentVariable("CI") is not null)
        {
            var last = DateTime.MinValue;
            var plain = new SynchronousProgress(p =>
            {
                if (DateTime.UtcNow - last < PlainInterval && p.Fraction < 1) return;
                last = DateTime.UtcNow;
                Console.Error.WriteLine($"{title}: {p.Fraction * 100,5:0.0}%  {p.Status}");
            });
            return await work(plain).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T value = default!;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: 1.0);
                var progress = new SynchronousProgress(p =>
                {
                    task.Value = Math.Clamp(p.Fraction, 0, 1);
                    task.Description = Markup.Escape($"{title} {p.Status}");
                });
                value = await work(progress).ConfigureAwait(false);
                task.Value = 1.0;
            }).ConfigureAwait(false);
        return value;
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
