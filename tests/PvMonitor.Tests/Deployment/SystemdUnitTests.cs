namespace PvMonitor.Tests.Deployment;

/// <summary>deploy/pvmonitor.service: a dedicated user, a restart policy and the hardening keys.</summary>
public sealed class SystemdUnitTests
{
    private static readonly ILookup<string, string> Keys = DeploymentFiles.Read("deploy/pvmonitor.service").Split('\n')
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && l[0] is not '#' and not '[' && l.Contains('='))
        .ToLookup(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);

    private static string Single(string key) => Keys[key].Should().ContainSingle($"{key} is set once").Which;

    [Fact]
    public void The_worker_runs_as_its_own_user_and_restarts_on_failure_but_not_on_a_configuration_error()
    {
        Single("User").Should().NotBe("root").And.NotBeEmpty();
        Single("ExecStart").Should().EndWith("pvmonitor.dll run");
        Single("Restart").Should().Be("on-failure");
        Single("RestartPreventExitStatus").Should().Be("2", "exit code 2 is a configuration error (README, Exit codes)");
        Single("KillSignal").Should().Be("SIGTERM");
        int.Parse(Single("TimeoutStopSec"), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(30, "the pipeline drains for up to Pipeline:ShutdownDrainSeconds (30 s)");
    }

    [Fact]
    public void The_unit_has_the_hardening_keys_and_writes_only_its_state_directory()
    {
        Single("ProtectSystem").Should().Be("strict");
        Single("ProtectHome").Should().Be("true");
        Single("PrivateTmp").Should().Be("true");
        Single("PrivateDevices").Should().Be("true");
        Single("NoNewPrivileges").Should().Be("true");
        Single("CapabilityBoundingSet").Should().BeEmpty();
        Single("RestrictSUIDSGID").Should().Be("true");
        Single("ProtectKernelTunables").Should().Be("true");
        Single("StateDirectory").Should().Be("pvmonitor");
        Single("ReadWritePaths").Should().Be("/var/lib/pvmonitor");
        Keys["Environment"].Should().Contain("PVMON_Data__Path=/var/lib/pvmonitor");
    }
}
