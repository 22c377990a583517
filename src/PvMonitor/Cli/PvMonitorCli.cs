using System.CommandLine;

namespace PvMonitor.Cli;

/// <summary>The <c>pvmonitor</c> command line: builds the verbs, maps errors to exit codes.</summary>
public static class PvMonitorCli
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
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line naming the argument; the full usage is one --help away.
            stderr.WriteLine($"pvmonitor: {OneLine(parse.Errors[0].Message)} (see 'pvmonitor {VerbOf(parse)}--help')");
            return ExitCodes.Usage;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(config, cts.Token);
        }
        catch (CliException ex)
        {
            stderr.WriteLine($"pvmonitor: {ex.Message}");
            return ex.ExitCode;
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
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string VerbOf(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        return command is RootCommand ? "" : command.Name + " ";
    }

    /// <summary>The standard answer of a verb whose work lands in a later release.</summary>
    internal static int NotImplemented(string verb, TextWriter stderr)
    {
        stderr.WriteLine($"pvmonitor {verb}: not implemented yet.");
        return ExitCodes.NotImplemented;
    }
}
