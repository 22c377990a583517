using PvMonitor.Domain.Conditions;

namespace PvMonitor.Domain.Tests.Conditions;

public class ConditionCatalogConcurrencyTests
{
    [Fact]
    public async Task Conditions_added_while_other_threads_look_codes_up_are_all_found_and_lookups_never_fail()
    {
        var catalog = new ConditionCatalog();
        var added = Enumerable.Range(0, 200).Select(i => new ConditionDefinition($"X{i}", "operator condition", i % 2 == 0 ? ConditionKind.Fault : ConditionKind.Normal)).ToList();
        using var stop = new CancellationTokenSource();
        var lookups = 0L;
        var readers = Enumerable.Range(0, 2).Select(reader => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                catalog.TryGet("PS50", out var known).Should().BeTrue();
                known.IsFault.Should().BeTrue();
                catalog.TryGet("X199", out _);
                Interlocked.Increment(ref lookups);
            }
        })).ToArray();

        SpinWait.SpinUntil(() => Interlocked.Read(ref lookups) > 0, TimeSpan.FromSeconds(10));
        foreach (var c in added) catalog.Add(c);
        stop.Cancel();
        await Task.WhenAll(readers);

        catalog.All.Should().HaveCount(ConditionCatalog.Paper.Count + added.Count);
        catalog.TryGet("X198", out var x).Should().BeTrue();
        x.IsFault.Should().BeTrue();
        var duplicate = () => catalog.Add(new ConditionDefinition("X5", "again", ConditionKind.Normal));
        duplicate.Should().Throw<ArgumentException>().WithMessage("*already defined*");
        lookups.Should().BeGreaterThan(0);
    }
}
