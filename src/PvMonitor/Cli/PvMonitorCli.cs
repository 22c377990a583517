using System.CommandLine;

namespace PvMonitor.Cli;

/// <summary>The <c>pvmonitor</c> command line: builds the verbs, maps errors to exit codes.</summary>
public static partial class PvMonitorCli
{
    /// <summary>Builds the root command with every verb.</summary>
    public static RootCommand Build()
    {
        var run = RunCommand.Create();
        var root = new RootCommand("PvMonitor: condition monitoring for photovoltaic strings with a semi-supervised deep generative model (SDGM).\nWith no verb, runs the daemon ('run').")
        {
            run,
            DemoCommand.Create(),
            SimulateCommand.Create(),
            TrainCommand.Create(),
            EvaluateCommand.Create(),
            ExperimentCommand.Create(),
            ReplayCommand.Create(),
            ModelsCommand.Create(),
        };
        // No verb: run the daemon with its defaults.
        root.SetAction((pr, ct) => RunCommand.ExecuteAsync(configFile: null, overrides: [], ct));
        return root;
    }

    /// <summary>Parses <paramref name="args"/>, runs the verb and returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var root = Build();
        // Hosted by .NET tooling: run the daemon and let failures reach the tool as exceptions.
        if (GenericHostSettings(args) is { } settings) return await RunCommand.ExecuteAsync(configFile: null, [.. settings], cancellationToken);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line naming the argument; the full usage is one --help away.
            stderr.WriteLine($"pvmonitor: {OneLine(Friendly(parse.Errors[0].Message))} (see 'pvmonitor {VerbOf(parse)}--help')");
            return ExitCodes.Usage;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        // SIGTERM stops a verb the way Ctrl+C does (the daemon drains and exits 0, a training run exits 130 keeping nothing).
        using var onTerminate = OperatingSystem.IsWindows() ? null : System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                cts.Cancel();
            });
        try
        {
            // ProcessTerminationTimeout = null: System.CommandLine would cancel its own token on Ctrl+C (so the verb's
            // OperationCanceledException was not recognised as an interruption) and end the process 2 s later, mid-drain.
            var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parse.InvokeAsync(config, cts.Token);
        }
        catch (CliException ex)
        {
            stderr.WriteLine($"pvmonitor: {ex.Message}");
            return ex.ExitCode;
        }
        catch (Hosting.StartupException ex)
        {
            stderr.WriteLine($"pvmonitor: {OneLine(ex.Message)}");
            return ex.IsConfigurationError ? ExitCodes.Usage : ExitCodes.Failure;
        }
        catch (Exception ex) when (ConfigurationErrors(ex) is { Count: > 0 } problems)
        {
            // ValidateOnStart: every invalid section, each message naming its key.
            stderr.WriteLine($"pvmonitor: Configuration error: {OneLine(string.Join(" ", problems))}");
            return ExitCodes.Usage;
        }
        catch (Learning.Torch.DeviceNotAvailableException ex)
        {
            stderr.WriteLine($"pvmonitor: {OneLine(ex.Message)}");
            return ExitCodes.Usage;
        }
        catch (Learning.Torch.TorchUnavailableException ex)
        {
            stderr.WriteLine($"pvmonitor: {OneLine(ex.Message)}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            stderr.WriteLine("pvmonitor: cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file or folder went away or became unwritable while the verb ran (its paths were checked before it started).
            stderr.WriteLine($"pvmonitor: {OneLine(ex.Message)}");
            return ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            // Never a stack trace for the user: one line, exit 1. PVMON_DEBUG=1 prints the whole exception.
            stderr.WriteLine($"pvmonitor: unexpected error ({ex.GetType().Name}): {OneLine(ex.Message)}");
            if (Environment.GetEnvironmentVariable("PVMON_DEBUG") is "1" or "true") stderr.WriteLine(ex);
            return ExitCodes.Failure;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The failures of an options validation (one section, or several at start-up); null when <paramref name="ex"/> is something else.</summary>
    private static List<string>? ConfigurationErrors(Exception ex) => ex switch
    {
        Microsoft.Extensions.Options.OptionsValidationException o => o.Failures.ToList(),
        AggregateException a when a.InnerExceptions.All(i => i is Microsoft.Extensions.Options.OptionsValidationException) =>
            a.InnerExceptions.SelectMany(i => ((Microsoft.Extensions.Options.OptionsValidationException)i).Failures).Distinct().ToList(),
        _ => null,
    };

    /// <summary>
    /// The settings of a generic-host invocation, or null when <paramref name="args"/> is an ordinary command line. .NET tooling
    /// that hosts an ASP.NET Core entry point (<c>WebApplicationFactory&lt;Program&gt;</c>) calls it with host configuration as
    /// <c>--key=value</c> arguments, always including <c>--contentRoot=</c> or <c>--applicationName=</c>; such a call runs the
    /// daemon with each <c>--Section:Key=value</c> as a <c>--set</c> (the host fixes its own content root and environment).
    /// </summary>
    internal static List<string>? GenericHostSettings(string[] args)
    {
        if (args.Length == 0 || !args.All(a => HostArgument().IsMatch(a)) ||
            !args.Any(a => a.StartsWith("--contentRoot=", StringComparison.OrdinalIgnoreCase) || a.StartsWith("--applicationName=", StringComparison.OrdinalIgnoreCase)))
            return null;
        // Section entries ("--Mqtt=") carry no value; the host's own keys are not ours.
        return args.Select(a => a[2..]).Where(a => a.IndexOf(':') is > 0 and var colon && colon < a.IndexOf('=')).ToList();
    }

    [System.Text.RegularExpressions.GeneratedRegex("^--[A-Za-z][A-Za-z0-9_:.]*=")]
    private static partial System.Text.RegularExpressions.Regex HostArgument();

    /// <summary>
    /// The parser's message with .NET type names replaced by what the user has to type: "--days: 'abc' is not an integer."
    /// instead of "Cannot parse argument 'abc' for option '--days' as expected type 'System.Int32'."
    /// </summary>
    internal static string Friendly(string message)
    {
        var m = ConversionError().Match(message);
        if (!m.Success) return message;
        var type = m.Groups["type"].Value;
        var nullable = NullableType().Match(type);
        if (nullable.Success) type = nullable.Groups["inner"].Value;
        var expected = type switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" or "System.UInt32" or "System.UInt64" => "an integer",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.DateOnly" => "a date (yyyy-MM-dd)",
            "System.DateTime" or "System.DateTimeOffset" => "a date and time (ISO 8601)",
            "System.TimeSpan" => "a duration (hh:mm:ss)",
            "System.Boolean" => "true or false",
            _ => "a valid value",
        };
        return $"{m.Groups["name"].Value}: '{m.Groups["value"].Value}' is not {expected}.";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (?:option|command argument) '(?<name>[^']*)' as expected type '(?<type>[^']*)'\.")]
    private static partial System.Text.RegularExpressions.Regex ConversionError();

    [System.Text.RegularExpressions.GeneratedRegex(@"^System\.Nullable`1\[(?<inner>.*)\]$")]
    private static partial System.Text.RegularExpressions.Regex NullableType();

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string VerbOf(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        return command is RootCommand ? "" : command.Name + " ";
    }
}
