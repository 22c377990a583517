using Microsoft.Extensions.Time.Testing;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Storage;
using PvMonitor.Monitoring.Tests.Ingest;

namespace PvMonitor.Monitoring.Tests.Storage;

/// <summary>The duplicate policy end to end: parser + duplicate filter + store, across a simulated crash.</summary>
public sealed class RedeliveryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pvmon-redelivery-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private SqliteResultStore Open() => new(new SqliteStoreOptions { Path = Path.Combine(_dir, "r.db") });

    private static async Task<DeadLetterReason> HandleAsync(TelemetryPayloadParser parser, DuplicateFilter filter, IResultStore store, byte[] payload)
    {
        var result = parser.Parse(PayloadBuilder.Topic, payload);
        if (!result.IsValid) return result.Reason;
        if (filter.IsDuplicate(result.Key, result.Sample.Time)) return DeadLetterReason.Duplicate;
        var batch = new ResultBatch();
        batch.Telemetry.Add(new TelemetryRecord(result.Key, result.Sample));
        await store.WriteAsync(batch);
        filter.MarkStored(result.Key, result.Sample.Time);
        return DeadLetterReason.None;
    }

    [Fact]
    public async Task A_message_redelivered_in_the_same_process_is_a_duplicate_and_after_a_restart_an_overwrite()
    {
        var parser = new TelemetryPayloadParser(new IngestOptions(), new FakeTimeProvider(PayloadBuilder.Now));
        var payload = PayloadBuilder.Build();

        await using (var store = Open())
        {
            var filter = new DuplicateFilter();
            (await HandleAsync(parser, filter, store, payload)).Should().Be(DeadLetterReason.None);
            (await HandleAsync(parser, filter, store, payload)).Should().Be(DeadLetterReason.Duplicate);
        }

        // "Crash": the filter is gone; the broker redelivers the unacknowledged message to a fresh process.
        await using (var store = Open())
        {
            (await HandleAsync(parser, new DuplicateFilter(), store, payload)).Should().Be(DeadLetterReason.None);
            (await store.GetCountsAsync()).Telemetry.Should().Be(1);
        }
    }

    [Fact]
    public async Task A_message_that_was_never_stored_is_not_treated_as_a_duplicate()
    {
        var parser = new TelemetryPayloadParser(new IngestOptions(), new FakeTimeProvider(PayloadBuilder.Now));
        var filter = new DuplicateFilter();
        var payload = PayloadBuilder.Build();
        var first = parser.Parse(PayloadBuilder.Topic, payload);
        filter.IsDuplicate(first.Key, first.Sample.Time).Should().BeFalse();
        // The first copy's write failed (nothing marked); the redelivered copy must be processed.

        await using var store = Open();
        (await HandleAsync(parser, filter, store, payload)).Should().Be(DeadLetterReason.None);
        (await store.GetCountsAsync()).Telemetry.Should().Be(1);
    }
}
