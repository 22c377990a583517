using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Testing;

namespace PvMonitor.Tests.Cli;

/// <summary>The README's webhook signature check, run exactly as written against a signature the worker computes.</summary>
public sealed partial class WebhookVerificationExampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvmon-webhook-example-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex(@"<!-- webhook-verify -->\s*```bash\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();

    private async Task<string> RunExampleAsync(string secret, byte[] body, string header)
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(CliRunner.RepositoryRoot(), "README.md"));
        var code = ExampleBlock().Match(readme).Groups["code"].Value;
        code.Should().NotBeEmpty("README.md has the webhook verification block");
        await File.WriteAllBytesAsync(Path.Combine(_dir, "body.json"), body);
        var start = new ProcessStartInfo("bash", ["-c", string.Join('\n', code.Split('\n').Select(l => l.Trim()))])
        {
            WorkingDirectory = _dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["SECRET"] = secret;
        start.Environment["HEADER"] = header;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim() + (await process.StandardError.ReadToEndAsync()).Trim();
    }

    [RequiresExecutableFact("openssl")]
    public async Task The_readme_check_accepts_the_workers_signature_and_rejects_a_tampered_body()
    {
        var body = Encoding.UTF8.GetBytes("""{"kind":"anomaly_opened","repeat":false,"plant":"p1","string":"S6","elbo":-41.0}""");
        var header = WebhookSignature.Compute("it-secret", body);

        (await RunExampleAsync("it-secret", body, header)).Should().Be("signature valid");
        (await RunExampleAsync("other-secret", body, header)).Should().Be("signature INVALID");
        body[^2] = (byte)'2';
        (await RunExampleAsync("it-secret", body, header)).Should().Be("signature INVALID");
    }
}
