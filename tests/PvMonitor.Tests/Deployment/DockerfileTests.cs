using System.Text.RegularExpressions;

namespace PvMonitor.Tests.Deployment;

/// <summary>The worker image's Dockerfile (no Docker engine runs here: the file is checked, the image is not built).</summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = DeploymentFiles.Read("Dockerfile").Replace("\\\n", " ", StringComparison.Ordinal).Split('\n');

    /// <summary>The instructions of the final stage (after the last FROM).</summary>
    private static List<string> FinalStage => Lines.SkipWhile((_, i) => i <= Array.FindLastIndex(Lines, l => l.StartsWith("FROM ", StringComparison.Ordinal))).ToList();

    [Fact]
    public void The_image_is_built_in_the_sdk_and_runs_on_the_aspnet_runtime()
    {
        var froms = Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        froms.Should().HaveCount(2);
        froms[0].Should().StartWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS ");
        froms[1].Should().StartWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0");
        Lines.Should().Contain(l => l.StartsWith("RUN dotnet publish src/PvMonitor ", StringComparison.Ordinal));
        Lines.Should().Contain("COPY models/default/ models/default/", "the publish output carries the shipped model (and TorchSharp's native libraries from its packages)");
        FinalStage.Should().Contain(l => l.StartsWith("COPY --from=build /app", StringComparison.Ordinal));
    }

    [Fact]
    public void The_final_stage_runs_as_an_unprivileged_user_with_a_healthcheck_on_healthz_and_state_on_a_volume()
    {
        var user = FinalStage.Last(l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..].Trim();
        user.Should().NotBe("root").And.NotBe("0").And.NotBeEmpty();
        FinalStage.Should().Contain(l => HealthCheck().IsMatch(l));
        var data = DataPath().Match(string.Join('\n', FinalStage)).Groups[1].Value;
        data.Should().StartWith("/");
        FinalStage.Should().Contain($"VOLUME {data}");
        FinalStage.Should().Contain(l => l.Contains($"chown {user}:{user} {data}", StringComparison.Ordinal), "the unprivileged user must be able to write Data:Path");
    }

    [GeneratedRegex(@"^HEALTHCHECK .*CMD .*http://127\.0\.0\.1:5080/healthz")]
    private static partial Regex HealthCheck();

    [GeneratedRegex(@"PVMON_Data__Path=(\S+)")]
    private static partial Regex DataPath();
}
