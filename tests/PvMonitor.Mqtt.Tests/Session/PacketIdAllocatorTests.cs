using PvMonitor.Mqtt.Session;

namespace PvMonitor.Mqtt.Tests.Session;

public class PacketIdAllocatorTests
{
    [Fact]
    public void Ids_go_round_robin_from_1_skip_those_in_use_and_wrap_after_65535()
    {
        var ids = new PacketIdAllocator();
        ids.TryAllocate(out var first).Should().BeTrue();
        ids.TryAllocate(out var second).Should().BeTrue();
        (first, second).Should().Be(((ushort)1, (ushort)2));

        ids.Release(1);
        ids.TryAllocate(out var third).Should().BeTrue();
        third.Should().Be(3, "a just-released id is not reused at once");

        for (var i = 4; i <= 65535; i++)
            ids.TryAllocate(out _).Should().BeTrue();
        ids.TryAllocate(out var wrapped).Should().BeTrue();
        wrapped.Should().Be(1, "after 65,535 the only free id is 1");
        ids.InUse.Should().Be(65535);
        ids.TryAllocate(out _).Should().BeFalse("every id is in use");

        ids.Release(40_000);
        ids.TryAllocate(out var reused).Should().BeTrue();
        reused.Should().Be(40_000);
    }

    [Fact]
    public void Releasing_an_unused_id_or_zero_changes_nothing()
    {
        var ids = new PacketIdAllocator();
        ids.Release(0);
        ids.Release(7);
        ids.InUse.Should().Be(0);
    }
}
