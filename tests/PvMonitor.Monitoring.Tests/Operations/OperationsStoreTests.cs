using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using PvMonitor.Monitoring.Operations;

namespace PvMonitor.Monitoring.Tests.Operations;

public sealed class OperationsStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pvmon-ops-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));

    private string File => Path.Combine(_dir, "operations.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static NewLabel Label(string str, int fromHour, int toHour, string condition = "PS50", string plant = "p1") =>
        new(plant, str, T0.AddHours(fromHour), T0.AddHours(toHour), condition, "seen on site");

    [Fact]
    public async Task A_new_store_is_migrated_and_seeded_with_the_ten_conditions_of_table_II()
    {
        using var store = OperationsStore.Open(File, _time);
        store.SchemaVersion.Should().Be(OperationsStore.Migrations.Count);
        var conditions = await store.GetConditionsAsync();
        conditions.Select(c => c.Code).Should().BeEquivalentTo(["PS7", "RS4", "PS50", "RS8", "PSRS", "PS75", "C", "S", "N", "IV"]);
        conditions.Should().OnlyContain(c => c.CreatedBy == "seed" && c.Name.Length > 0 && c.Description.Length > 0);
        conditions.Single(c => c.Code == "N").Severity.Should().Be(ConditionSeverity.Info);
        conditions.Single(c => c.Code == "S").Severity.Should().Be(ConditionSeverity.Warning);
        conditions.Single(c => c.Code == "RS8").Severity.Should().Be(ConditionSeverity.Fault);
    }

    [Fact]
    public async Task Reopening_keeps_what_was_written_and_does_not_seed_twice()
    {
        using (var store = OperationsStore.Open(File, _time))
        {
            await store.AddConditionAsync(new NewCondition("SOIL", "Soiling", "Dust on the modules", "warning"), "alice");
            await store.AddLabelAsync(Label("s1", 0, 2), "alice");
        }

        using var again = OperationsStore.Open(File, _time);
        (await again.GetConditionsAsync()).Should().HaveCount(11);
        (await again.GetLabelsAsync()).Should().ContainSingle().Which.Author.Should().Be("alice");
    }

    [Fact]
    public void A_file_from_a_newer_version_is_refused_naming_both_versions()
    {
        using (var store = OperationsStore.Open(File, _time))
        {
        }

        using (var connection = new SqliteConnection($"Data Source={File};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {OperationsStore.Migrations.Count + 1}";
            command.ExecuteNonQuery();
        }

        var open = () => OperationsStore.Open(File, _time);
        open.Should().Throw<InvalidDataException>().WithMessage($"*schema version {OperationsStore.Migrations.Count + 1}*newer*({OperationsStore.Migrations.Count})*");
    }

    [Fact]
    public async Task An_operator_condition_is_validated_and_a_duplicate_code_is_a_conflict()
    {
        using var store = OperationsStore.Open(File, _time);
        var created = await store.AddConditionAsync(new NewCondition("BYPASS", "Shorted bypass diode", "One diode conducts permanently", "FAULT"), "alice");
        created.Should().Be(new CatalogCondition("BYPASS", "Shorted bypass diode", "One diode conducts permanently", ConditionSeverity.Fault, "alice", _time.GetUtcNow()));

        await Rejected(() => store.AddConditionAsync(new NewCondition("bad code!", "x", "", "info"), "alice"), RejectionKind.Invalid, "code");
        await Rejected(() => store.AddConditionAsync(new NewCondition("X1", "", "", "info"), "alice"), RejectionKind.Invalid, "name");
        await Rejected(() => store.AddConditionAsync(new NewCondition("X1", "x", "", "severe"), "alice"), RejectionKind.Invalid, "severity");
        var duplicate = await Rejected(() => store.AddConditionAsync(new NewCondition("bypass", "again", "", "info"), "bob"), RejectionKind.Conflict, "code");
        duplicate.Message.Should().Contain("bypass").And.Contain("already exists");
    }

    [Fact]
    public async Task Label_fields_are_checked_and_each_message_names_its_field()
    {
        using var store = OperationsStore.Open(File, _time);
        await Rejected(() => store.AddLabelAsync(Label("s1", 0, 1) with { Plant = " " }, "a"), RejectionKind.Invalid, "plant");
        await Rejected(() => store.AddLabelAsync(Label("s1", 0, 1) with { String = null }, "a"), RejectionKind.Invalid, "string");
        await Rejected(() => store.AddLabelAsync(Label("s1", 0, 1) with { From = null }, "a"), RejectionKind.Invalid, "from");
        await Rejected(() => store.AddLabelAsync(Label("s1", 2, 1), "a"), RejectionKind.Invalid, "to");
        await Rejected(() => store.AddLabelAsync(Label("s1", 0, 1) with { Note = new string('x', 2001) }, "a"), RejectionKind.Invalid, "note");
        var unknown = await Rejected(() => store.AddLabelAsync(Label("s1", 0, 1, "SOIL"), "a"), RejectionKind.Invalid, "condition");
        unknown.Message.Should().Contain("SOIL").And.Contain("POST /api/conditions");
        (await store.GetLabelsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Overlapping_labels_are_refused_naming_the_label_they_overlap()
    {
        using var store = OperationsStore.Open(File, _time);
        var first = await store.AddLabelAsync(Label("s1", 0, 4), "alice");

        var contradiction = await Rejected(() => store.AddLabelAsync(Label("s1", 3, 5, "RS4"), "bob"), RejectionKind.Conflict, "from");
        contradiction.Message.Should().Contain($"label {first.Id}").And.Contain("PS50").And.Contain("labels differently");
        var repeat = await Rejected(() => store.AddLabelAsync(Label("s1", 1, 2), "bob"), RejectionKind.Conflict, "from");
        repeat.Message.Should().Contain("already labels");
        await Rejected(() => store.AddLabelAsync(Label(OperatorLabel.AllStrings, 2, 3), "bob"), RejectionKind.Conflict, "from");

        // Touching ranges ([from, to) is half-open), another string, another plant: all fine.
        await store.AddLabelAsync(Label("s1", 4, 6, "RS4"), "bob");
        await store.AddLabelAsync(Label("s2", 0, 4, "RS4"), "bob");
        await store.AddLabelAsync(Label(OperatorLabel.AllStrings, 0, 6, "N", plant: "p2"), "bob");
        var all = await store.AddLabelAsync(Label(OperatorLabel.AllStrings, 6, 8, "C"), "bob");
        await Rejected(() => store.AddLabelAsync(Label("s9", 7, 9, "N"), "bob"), RejectionKind.Conflict, "from");

        (await store.GetLabelsAsync("p1")).Should().HaveCount(4);
        (await store.GetLabelsAsync("p1", T0.AddHours(5), T0.AddHours(7))).Select(l => l.Id).Should().Contain(all.Id).And.HaveCount(2);
    }

    [Fact]
    public async Task Every_write_is_audited_with_its_actor_and_raised_for_the_log()
    {
        using var store = OperationsStore.Open(File, _time);
        var raised = new List<AuditEntry>();
        store.Audited += raised.Add;
        await store.AddConditionAsync(new NewCondition("SOIL", "Soiling", "", "warning"), "alice");
        var label = await store.AddLabelAsync(Label("s1", 0, 1, "SOIL"), "alice");
        await store.DeleteLabelAsync(label.Id, "bob");
        await Rejected(() => store.DeleteLabelAsync(label.Id, "bob"), RejectionKind.NotFound, "id");

        var audit = await store.GetAuditAsync();
        audit.Select(a => (a.Actor, a.Action)).Should().Equal(("bob", "label.delete"), ("alice", "label.create"), ("alice", "condition.create"));
        audit[0].Detail.Should().Contain($"label {label.Id}").And.Contain("SOIL");
        raised.Should().BeEquivalentTo(audit.Reverse(), "each committed write is raised once, in order");
        (await store.GetLabelsAsync()).Should().BeEmpty();
    }

    private static async Task<OperationRejectedException> Rejected(Func<Task> write, RejectionKind kind, string field)
    {
        var ex = (await write.Should().ThrowAsync<OperationRejectedException>()).Which;
        (ex.Kind, ex.Field).Should().Be((kind, field), ex.Message);
        return ex;
    }
}
