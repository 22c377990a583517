using System.Diagnostics;
using PvMonitor.Tests.Cli;
using YamlDotNet.RepresentationModel;

namespace PvMonitor.Tests.Deployment;

/// <summary>The repository's deployment files (Dockerfile, docker-compose.yml, deploy/) and small readers for them.</summary>
internal static class DeploymentFiles
{
    public static string Root { get; } = CliRunner.RepositoryRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>The YAML document of <paramref name="relative"/> as a mapping.</summary>
    public static YamlMappingNode Yaml(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Read(relative));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static YamlMappingNode Map(this YamlNode node, string key) => (YamlMappingNode)node[key];

    public static YamlMappingNode? MapOrNull(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    public static string? Scalar(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (child as YamlScalarNode)?.Value : null;

    public static IEnumerable<YamlNode> Sequence(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode seq ? seq.Children : [];

    /// <summary>A compose service's environment as key → value (map or KEY=VALUE list form).</summary>
    public static Dictionary<string, string> Environment(YamlMappingNode service)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!service.Children.TryGetValue(new YamlScalarNode("environment"), out var node)) return env;
        if (node is YamlMappingNode map)
            foreach (var (k, v) in map.Children) env[((YamlScalarNode)k).Value!] = ((YamlScalarNode)v).Value ?? "";
        else
            foreach (var item in ((YamlSequenceNode)node).Children.Cast<YamlScalarNode>().Select(i => i.Value ?? ""))
                env[item[..item.IndexOf('=')]] = item[(item.IndexOf('=') + 1)..];
        return env;
    }

    /// <summary>Runs a program to its end (at most a minute) and returns its exit code and output.</summary>
    public static (int Code, string Output) Run(string file, string arguments, string workingDirectory)
    {
        var psi = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish within a minute");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>KEY=VALUE lines of an env file (comments and blank lines skipped).</summary>
    public static Dictionary<string, string> EnvFile(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0 && l[0] != '#' && l.Contains('='))
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..], StringComparer.Ordinal);
}
