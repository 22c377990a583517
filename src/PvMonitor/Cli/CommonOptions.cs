using System.CommandLine;

namespace PvMonitor.Cli;

/// <summary>Options shared by several verbs.</summary>
internal static class CommonOptions
{
    /// <summary><c>--config FILE</c>: an extra JSON settings file layered over the shipped appsettings.json.</summary>
    public static Option<FileInfo?> Config() => new("--config")
    {
        Description = "Extra JSON settings file, layered over the shipped appsettings.json (then PVMON_ environment variables, then --set).",
    };

    /// <summary><c>--set KEY=VALUE</c>: a configuration override, repeatable, highest precedence.</summary>
    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override one configuration key, e.g. --set Mqtt:Host=broker.local (repeatable; wins over files and environment).",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary><c>--seed S</c>: the seed of every random source the verb uses.</summary>
    public static Option<int> Seed(int defaultValue = 1) => new("--seed")
    {
        Description = $"Seed for every random source (same seed, same result). Default {defaultValue}.",
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary><c>--device cpu|cuda|cuda:N|auto</c>: where libtorch trains and scores.</summary>
    public static Option<string> Device() => new("--device")
    {
        Description = "Where to train and score: cpu, cuda, cuda:N or auto (CUDA when TorchSharp reports a usable GPU, else CPU). Default auto.",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary><c>--threads N</c>: libtorch's intra-op (and inter-op) threads.</summary>
    public static Option<int> Threads() => new("--threads")
    {
        Description = $"libtorch CPU threads (1–256). Default {Learning.Torch.TorchRuntime.DefaultCliThreads}: the SDGM's small operations run fastest on one thread (bench/README.md).",
        DefaultValueFactory = _ => Learning.Torch.TorchRuntime.DefaultCliThreads,
    };

    /// <summary>Applies <c>--threads</c> and resolves <c>--device</c> (loads libtorch).</summary>
    /// <exception cref="Learning.Torch.DeviceNotAvailableException">The device does not exist here (exit 2).</exception>
    /// <exception cref="Learning.Torch.TorchUnavailableException">libtorch cannot load (exit 1).</exception>
    public static TorchSharp.torch.Device ApplyTorch(ParseResult parse, Option<string> device, Option<int> threads)
    {
        Learning.Torch.TorchRuntime.SetThreads(parse.GetValue(threads));
        return Learning.Torch.TorchRuntime.ResolveDevice(parse.GetValue(device), "--device");
    }

    /// <summary>Adds the validation of <c>--threads</c>.</summary>
    public static void ValidateThreads(System.CommandLine.Parsing.CommandResult result, Option<int> threads)
    {
        if (TryGiven(result, threads, out var t) && t is < 1 or > 256) result.AddError("--threads must be 1–256.");
    }

    /// <summary>Parses a comma list such as <c>A,B,C</c> into trimmed, non-empty items.</summary>
    public static string[] SplitList(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The value of <paramref name="option"/> when the user gave it explicitly; null otherwise (defaults need no validation).</summary>
    public static bool TryGiven<T>(System.CommandLine.Parsing.CommandResult result, Option<T> option, out T value)
    {
        var given = result.GetResult(option);
        if (given is null || given.Implicit)
        {
            value = default!;
            return false;
        }

        try
        {
            value = result.GetValue(option)!;
            return true;
        }
        catch (InvalidOperationException)
        {
            // The token did not convert: the parser reports that error itself, naming the option.
            value = default!;
            return false;
        }
    }

    /// <summary>Restricts <paramref name="option"/> to <paramref name="allowed"/> with an error that names the option.</summary>
    public static Option<string> OneOf(this Option<string> option, params string[] allowed)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value is not null && Array.IndexOf(allowed, value) < 0)
                result.AddError($"{option.Name} must be one of {string.Join(", ", allowed)} (was '{value}').");
        });
        return option;
    }
}
