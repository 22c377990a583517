using PvMonitor.Hosting;

namespace PvMonitor.Tests.Hosting;

public class DemoScheduleTests
{
    [Fact]
    public void The_fault_recurs_every_simulated_day_and_the_unseen_condition_stays_so_the_page_always_shows_both()
    {
        var episodes = DemoPlantService.Episodes(6);
        var ps50 = episodes.Where(e => e.Code == "PS50").ToList();
        ps50.Should().HaveCount(DemoPlantService.ScheduledDays).And.OnlyContain(e => e.String == 1 && e.From.Hour == 9 && e.To.Hour == 15);
        ps50.Select(e => e.From.Date).Should().OnlyHaveUniqueItems();
        var degr = episodes.Single(e => e.Code == "DEGR");
        (degr.String, degr.From).Should().Be((5, new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero)));
        (degr.To - degr.From).Should().BeGreaterThan(TimeSpan.FromDays(300));

        var schedule = DemoPlantService.Schedule(6, speed: 10);
        schedule.Should().Contain(l => l.StartsWith("PS50") && l.Contains("S2") && l.Contains("every simulated day 09:00–15:00") && l.Contains("about 6 s"));
        schedule.Should().Contain(l => l.StartsWith("DEGR") && l.Contains("S6") && l.Contains("about 12 s"));
        schedule.Should().Contain(l => l.Contains("nights are skipped"));
    }
}
