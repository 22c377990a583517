using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Ingest;

namespace PvMonitor.Monitoring.Tests.Ingest;

public class DuplicateFilterTests
{
    private static readonly StringKey S1 = new("p", "i", "s1");
    private static readonly StringKey S2 = new("p", "i", "s2");
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_sample_is_a_duplicate_only_after_it_was_stored()
    {
        var filter = new DuplicateFilter();

        filter.IsDuplicate(S1, T0).Should().BeFalse();
        filter.IsDuplicate(S1, T0).Should().BeFalse("a redelivered message that was never stored must be processed again");
        filter.MarkStored(S1, T0);
        filter.IsDuplicate(S1, T0).Should().BeTrue();
        filter.IsDuplicate(S1, T0.AddMinutes(1)).Should().BeFalse();
        filter.IsDuplicate(S2, T0).Should().BeFalse();
    }

    [Fact]
    public void The_same_instant_in_another_offset_is_the_same_sample()
    {
        var filter = new DuplicateFilter();
        filter.MarkStored(S1, T0);
        filter.IsDuplicate(S1, T0.ToOffset(TimeSpan.FromHours(2))).Should().BeTrue();
    }

    [Fact]
    public void Each_string_remembers_only_its_window()
    {
        var filter = new DuplicateFilter(windowPerString: 3);
        for (var k = 0; k < 4; k++) filter.MarkStored(S1, T0.AddMinutes(k));

        filter.IsDuplicate(S1, T0).Should().BeFalse("the oldest timestamp fell out of the 3-entry window");
        filter.IsDuplicate(S1, T0.AddMinutes(1)).Should().BeTrue();
        filter.IsDuplicate(S1, T0.AddMinutes(3)).Should().BeTrue();
    }

    [Fact]
    public void Marking_twice_does_not_evict_others()
    {
        var filter = new DuplicateFilter(windowPerString: 2);
        filter.MarkStored(S1, T0);
        filter.MarkStored(S1, T0.AddMinutes(1));
        filter.MarkStored(S1, T0.AddMinutes(1));
        filter.IsDuplicate(S1, T0).Should().BeTrue();
    }

    [Fact]
    public void Strings_beyond_the_limit_are_not_tracked()
    {
        var filter = new DuplicateFilter(windowPerString: 4, maxStrings: 1);
        filter.MarkStored(S1, T0);
        filter.MarkStored(S2, T0);

        filter.TrackedStrings.Should().Be(1);
        filter.IsDuplicate(S1, T0).Should().BeTrue();
        filter.IsDuplicate(S2, T0).Should().BeFalse();
    }

    [Fact]
    public void Concurrent_marks_are_all_recorded()
    {
        var filter = new DuplicateFilter(windowPerString: 1000);
        Parallel.For(0, 800, k => filter.MarkStored(new StringKey("p", "i", "s" + (k % 8)), T0.AddMinutes(k / 8)));

        filter.TrackedStrings.Should().Be(8);
        for (var k = 0; k < 800; k++)
            filter.IsDuplicate(new StringKey("p", "i", "s" + (k % 8)), T0.AddMinutes(k / 8)).Should().BeTrue();
    }

    [Fact]
    public void Sizes_come_from_options()
    {
        var filter = new DuplicateFilter(new IngestOptions { DuplicateWindowPerString = 1, DuplicateMaxStrings = 5 });
        filter.MarkStored(S1, T0);
        filter.MarkStored(S1, T0.AddMinutes(1));
        filter.IsDuplicate(S1, T0).Should().BeFalse();
    }
}
