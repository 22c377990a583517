using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Operations;

namespace PvMonitor.Monitoring.Tests.Operations;

public class AnomalyEpisodeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private static AlertEvent Alert(AlertKind kind, string[] strings, int fromMinutes, int timeMinutes, double elbo, int? toMinutes = null, bool repeat = false, string inverter = "INV1") =>
        new("p1", inverter, strings, kind, repeat, "N", 0.9, elbo, T0.AddMinutes(fromMinutes), toMinutes is { } t ? T0.AddMinutes(t) : null, T0.AddMinutes(timeMinutes), "v1", "")
        {
            Sensors = kind == AlertKind.AnomalyOpened ? [new SensorScore("V", -7.5)] : [],
        };

    private static OperatorLabel Label(long id, string str, int fromMinutes, int toMinutes, string condition) =>
        new(id, "p1", str, T0.AddMinutes(fromMinutes), T0.AddMinutes(toMinutes), condition, "", "alice", T0);

    private static ConditionSeverity Severity(string code) => code == "N" ? ConditionSeverity.Info : ConditionSeverity.Fault;

    [Fact]
    public void Opened_and_closed_alerts_make_one_episode_per_string_with_the_lowest_elbo_and_the_opening_sensors()
    {
        var alerts = new[]
        {
            Alert(AlertKind.AnomalyOpened, ["S1", "S2"], 0, 2, -40),
            Alert(AlertKind.AnomalyOpened, ["S1"], 0, 62, -55, repeat: true),
            Alert(AlertKind.FaultEntered, ["S1"], 0, 3, -12),
            Alert(AlertKind.AnomalyClosed, ["S1"], 0, 90, -20, toMinutes: 88),
        };

        var episodes = AnomalyEpisode.Build(alerts, [], Severity);

        episodes.Should().HaveCount(2);
        var s1 = episodes.Single(e => e.String == "S1");
        (s1.From, s1.To, s1.MinElbo, s1.Status).Should().Be((T0, T0.AddMinutes(88), -55.0, "open"));
        s1.Sensors.Should().ContainSingle().Which.Sensor.Should().Be("V");
        var s2 = episodes.Single(e => e.String == "S2");
        (s2.To, s2.MinElbo).Should().Be(((DateTimeOffset?)null, -40.0));
    }

    [Fact]
    public void A_covering_label_makes_an_episode_labeled_or_dismissed_when_its_condition_is_normal()
    {
        var alerts = new[]
        {
            Alert(AlertKind.AnomalyOpened, ["S1"], 0, 2, -40),
            Alert(AlertKind.AnomalyOpened, ["S2"], 0, 2, -40),
            Alert(AlertKind.AnomalyOpened, ["S3"], 0, 2, -40),
            Alert(AlertKind.AnomalyOpened, ["S3"], 0, 2, -30, inverter: "INV2"),
            Alert(AlertKind.AnomalyClosed, ["S3"], 0, 100, -30, toMinutes: 100),
            Alert(AlertKind.AnomalyClosed, ["S3"], 0, 100, -30, toMinutes: 100, inverter: "INV2"),
            Alert(AlertKind.AnomalyOpened, ["S4"], 600, 602, -40),
        };
        OperatorLabel[] labels = [Label(1, "S1", 30, 60, "SOIL"), Label(2, "INV1/S2", 0, 10, "N"), Label(3, "*", 500, 550, "SOIL")];

        var episodes = AnomalyEpisode.Build(alerts, labels, Severity);

        episodes.Single(e => e.String == "S1").Should().Match<AnomalyEpisode>(e => e.Status == "labeled" && e.LabelId == 1 && e.LabelCondition == "SOIL");
        episodes.Single(e => e.String == "S2").Status.Should().Be("dismissed");
        episodes.Where(e => e.String == "S3").Should().OnlyContain(e => e.Status == "open", "S3's episodes ended at minute 100, before the '*' label starts, and no other label covers S3");
        episodes.Single(e => e.String == "S4").Status.Should().Be("open", "the '*' label [500, 550) ends before it starts at 600");
        episodes[0].String.Should().Be("S4", "newest first");
    }
}
