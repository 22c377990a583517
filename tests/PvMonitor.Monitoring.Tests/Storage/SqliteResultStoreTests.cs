using Microsoft.Data.Sqlite;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Alerts;
using PvMonitor.Monitoring.Ingest;
using PvMonitor.Monitoring.Storage;
using PvMonitor.Monitoring.Tests.Alerts;

namespace PvMonitor.Monitoring.Tests.Storage;

public sealed class SqliteResultStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly string[] Classes = ["PS7", "N", "RS-4"];
    private static readonly StringKey S1 = new("p", "inv1", "s1");
    private static readonly StringKey S2 = new("p", "inv1", "s2");

    private readonly string _dir = Directory.CreateTempSubdirectory("pvmon-sqlite-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private SqliteResultStore Open() => new(new SqliteStoreOptions { Path = Path.Combine(_dir, "results.db") });

    private static TelemetryRecord Tele(StringKey key, int minute, double g = 800) =>
        new(key, new TelemetrySample(T0.AddMinutes(minute), 8, 600, g, 20, 40, 2));

    private static ConditionRecord Cond(StringKey key, int minute, string condition = "PS7", double p0 = 0.7, string model = "v1", bool anomaly = false) =>
        new(key, T0.AddMinutes(minute), model, condition, p0, Classes, new[] { p0, 1 - p0 - 0.1, 0.1 }, -11.5, anomaly, false);

    private static ResultBatch Batch(int minutes, params StringKey[] keys)
    {
        var batch = new ResultBatch();
        foreach (var key in keys)
            for (var m = 0; m < minutes; m++)
            {
                batch.Telemetry.Add(Tele(key, m));
                batch.Conditions.Add(Cond(key, m));
            }

        return batch;
    }

    [Fact]
    public async Task Writes_every_table_and_counts_rows()
    {
        await using var store = Open();
        var batch = Batch(10, S1, S2);
        batch.Alerts.Add(AlertJsonWriterTests.Sample);
        batch.DeadLetters.Add(new DeadLetterRecord(T0, "pv/x", "{bad"u8.ToArray(), DeadLetterReason.MalformedJson, "The payload is not valid JSON."));

        await store.WriteAsync(batch);

        (await store.GetCountsAsync()).Should().Be(new StoreCounts(20, 20, 1, 1, 2));
    }

    [Fact]
    public async Task Alert_sensors_round_trip_and_an_alert_table_without_the_column_gains_it()
    {
        var path = Path.Combine(_dir, "results.db");
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var cmd = old.CreateCommand();
            // pv_alert as the store created it before alerts carried sensors, with one row.
            cmd.CommandText = $"""
                CREATE TABLE pv_alert (
                    plant TEXT NOT NULL, inverter TEXT NOT NULL, strings TEXT NOT NULL, kind TEXT NOT NULL, repeat INTEGER NOT NULL,
                    time INTEGER NOT NULL, condition TEXT, confidence REAL, elbo REAL, from_time INTEGER NOT NULL, to_time INTEGER,
                    model_version TEXT NOT NULL, link TEXT NOT NULL,
                    PRIMARY KEY (plant, inverter, strings, kind, repeat, time)) WITHOUT ROWID;
                INSERT INTO pv_alert VALUES ('p', 'inv1', 's1', 'fault_entered', 0, {T0.ToUnixTimeMilliseconds()}, 'PS7', 0.9, -4.5, {T0.ToUnixTimeMilliseconds()}, NULL, 'v0', 'http://x/');
                """;
            cmd.ExecuteNonQuery();
        }

        await using var store = Open();
        (await store.GetAlertsAsync()).Should().ContainSingle().Which.Sensors.Should().BeEmpty("an old row has none");

        var opened = AlertJsonWriterTests.Sample with { Kind = AlertKind.AnomalyOpened, Time = T0.AddHours(1), Sensors = [new("V", -7.25), new("TMod", 3.125)] };
        var batch = new ResultBatch();
        batch.Alerts.Add(opened);
        await store.WriteAsync(batch);

        var newest = (await store.GetAlertsAsync())[0];
        newest.Kind.Should().Be(AlertKind.AnomalyOpened);
        newest.Sensors.Should().Equal(new SensorScore("V", -7.25), new SensorScore("TMod", 3.125));
    }

    [Fact]
    public async Task Writing_the_same_samples_again_overwrites_instead_of_duplicating()
    {
        await using var store = Open();
        await store.WriteAsync(Batch(10, S1));
        var again = Batch(10, S1);
        again.Telemetry[3] = Tele(S1, 3, g: 123);
        again.Conditions[3] = Cond(S1, 3, condition: "N", p0: 0.2, model: "v2");
        again.Alerts.Add(AlertJsonWriterTests.Sample);
        await store.WriteAsync(again);
        await store.WriteAsync(again);

        (await store.GetCountsAsync()).Should().Be(new StoreCounts(10, 10, 1, 0, 1));
        var tele = await store.GetTelemetryAsync(S1, T0.AddMinutes(3), T0.AddMinutes(4));
        tele.Should().ContainSingle().Which.Sample.G.Should().Be(123);
        var cond = (await store.GetConditionHistoryAsync(S1, T0.AddMinutes(3), T0.AddMinutes(4))).Should().ContainSingle().Subject;
        cond.Condition.Should().Be("N");
        cond.ModelVersion.Should().Be("v2");
        cond.Confidence.Should().Be(0.2);
    }

    [Fact]
    public async Task Condition_history_round_trips_probabilities_in_a_half_open_range()
    {
        await using var store = Open();
        await store.WriteAsync(Batch(30, S1, S2));

        var history = await store.GetConditionHistoryAsync(S1, T0.AddMinutes(5), T0.AddMinutes(10));

        history.Select(h => h.Time).Should().Equal(Enumerable.Range(5, 5).Select(m => T0.AddMinutes(m)));
        history.Should().AllSatisfy(h => h.Key.Should().Be(S1));
        var first = history[0];
        first.ClassCodes.Should().Equal(Classes);
        first.Probabilities.ToArray().Should().Equal(0.7, 1 - 0.7 - 0.1, 0.1);
        first.Elbo.Should().Be(-11.5);
        first.Night.Should().BeFalse();
        (await store.GetConditionHistoryAsync(S1, T0, T0.AddHours(1), limit: 3)).Should().HaveCount(3);
    }

    [Fact]
    public async Task Night_rows_store_nulls_and_new_classes_add_columns()
    {
        await using var store = Open();
        var batch = new ResultBatch();
        batch.Conditions.Add(ConditionRecord.ForNight(S1, T0, "v1"));
        string[] extended = ["PS7", "NEW_1"];
        batch.Conditions.Add(new ConditionRecord(S1, T0.AddMinutes(1), "v2", "NEW_1", 0.6, extended, new[] { 0.4, 0.6 }, -3, true, false));
        await store.WriteAsync(batch);

        var history = await store.GetConditionHistoryAsync(S1, T0, T0.AddMinutes(2));

        history[0].Condition.Should().Be("night");
        history[0].Night.Should().BeTrue();
        double.IsNaN(history[0].Confidence).Should().BeTrue();
        double.IsNaN(history[0].Elbo).Should().BeTrue();
        history[0].ClassCodes.Should().BeEmpty();
        history[1].ClassCodes.Should().Equal("PS7", "NEW_1");
        history[1].Probabilities.ToArray().Should().Equal(0.4, 0.6);
        history[1].Anomaly.Should().BeTrue();
    }

    [Fact]
    public async Task Reconstruction_z_scores_round_trip_exactly_and_rows_without_them_read_back_empty()
    {
        await using var store = Open();
        string[] features = ["I", "V", "G", "TExt", "TMod", "W"];
        float[] z = [0.25f, -3.1415927f, 12.5f, float.Epsilon, -0f, 1e-7f];
        var batch = new ResultBatch();
        batch.Conditions.Add(Cond(S1, 0) with { Features = features, ReconstructionZ = z });
        batch.Conditions.Add(Cond(S1, 1));
        batch.Conditions.Add(ConditionRecord.ForNight(S1, T0.AddMinutes(2), "v1"));
        batch.Conditions.Add(Cond(S1, 3) with { Features = features, ReconstructionZ = new[] { 1f, 2f, float.NaN, 4f, 5f, 6f } });
        await store.WriteAsync(batch);

        var history = await store.GetConditionHistoryAsync(S1, T0, T0.AddMinutes(4));

        history.Should().HaveCount(4);
        history[0].Features.Should().Equal(features);
        history[0].ReconstructionZ.ToArray().Should().Equal(z);
        history[0].Probabilities.ToArray().Should().Equal(0.7, 1 - 0.7 - 0.1, 0.1);
        history[1].Features.Should().BeNull();
        history[1].ReconstructionZ.IsEmpty.Should().BeTrue();
        history[2].Night.Should().BeTrue();
        history[2].Features.Should().BeNull();
        history[3].Features.Should().Equal("I", "V", "TExt", "TMod", "W");
        history[3].ReconstructionZ.ToArray().Should().Equal(1f, 2f, 4f, 5f, 6f);
    }

    [Fact]
    public async Task Z_scores_without_matching_feature_names_fail_the_batch()
    {
        await using var store = Open();
        var batch = new ResultBatch();
        batch.Conditions.Add(Cond(S1, 0) with { Features = ["I", "V"], ReconstructionZ = new[] { 1f } });

        var act = async () => await store.WriteAsync(batch);

        await act.Should().ThrowAsync<StoreWriteException>().WithMessage("*1 z-scores for 2 feature names*");
    }

    [Fact]
    public async Task A_database_written_by_the_previous_schema_opens_keeps_its_rows_and_gains_z_columns()
    {
        var path = Path.Combine(_dir, "results.db");
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var cmd = old.CreateCommand();
            // The pv_condition table as the store created it before z-scores were stored, with one class column.
            cmd.CommandText = $"""
                CREATE TABLE pv_condition (
                    plant TEXT NOT NULL, inverter TEXT NOT NULL, string TEXT NOT NULL, time INTEGER NOT NULL,
                    model_version TEXT NOT NULL, condition TEXT NOT NULL, confidence REAL, elbo REAL,
                    anomaly INTEGER NOT NULL, night INTEGER NOT NULL,
                    PRIMARY KEY (plant, inverter, string, time)) WITHOUT ROWID;
                ALTER TABLE pv_condition ADD COLUMN "p_PS7" REAL;
                INSERT INTO pv_condition VALUES ('p', 'inv1', 's1', {T0.ToUnixTimeMilliseconds()}, 'v0', 'PS7', 0.9, -4.5, 0, 0, 0.9);
                """;
            cmd.ExecuteNonQuery();
        }

        await using var store = Open();
        var before = (await store.GetConditionHistoryAsync(S1, T0, T0.AddMinutes(1))).Should().ContainSingle().Subject;
        before.ModelVersion.Should().Be("v0");
        before.ClassCodes.Should().Equal("PS7");
        before.Probabilities.ToArray().Should().Equal(0.9);
        before.Features.Should().BeNull();

        var batch = new ResultBatch();
        batch.Conditions.Add(Cond(S1, 1) with { Features = ["I", "V"], ReconstructionZ = new[] { 0.5f, -2.75f } });
        await store.WriteAsync(batch);

        var after = await store.GetConditionHistoryAsync(S1, T0, T0.AddMinutes(2));
        after.Should().HaveCount(2);
        after[0].Features.Should().BeNull();
        after[1].Features.Should().Equal("I", "V");
        after[1].ReconstructionZ.ToArray().Should().Equal(0.5f, -2.75f);
        after[1].ClassCodes.Should().Equal(Classes);
        (await store.GetCountsAsync()).Conditions.Should().Be(2);
    }

    [Fact]
    public async Task Latest_state_is_the_newest_row_per_string()
    {
        await using var store = Open();
        await store.WriteAsync(Batch(10, S1, S2));
        var more = new ResultBatch();
        more.Conditions.Add(Cond(S2, 20, condition: "N", anomaly: true));
        more.Conditions.Add(ConditionRecord.ForNight(new StringKey("a", "b", "c"), T0.AddMinutes(3), "v1"));
        await store.WriteAsync(more);

        var latest = await store.GetLatestAsync();

        latest.Select(l => l.Key).Should().Equal(new StringKey("a", "b", "c"), S1, S2);
        latest[0].Night.Should().BeTrue();
        latest[1].Time.Should().Be(T0.AddMinutes(9));
        latest[1].Condition.Should().Be("PS7");
        latest[2].Time.Should().Be(T0.AddMinutes(20));
        latest[2].Condition.Should().Be("N");
        latest[2].Anomaly.Should().BeTrue();
    }

    [Fact]
    public async Task Alerts_come_back_newest_first_with_every_field()
    {
        await using var store = Open();
        var batch = new ResultBatch();
        var older = AlertJsonWriterTests.Sample;
        var newer = older with { Kind = AlertKind.FaultCleared, Time = older.Time.AddHours(2), To = older.Time.AddHours(1), Strings = ["s01"], Condition = null };
        batch.Alerts.Add(older);
        batch.Alerts.Add(newer);
        await store.WriteAsync(batch);

        var alerts = await store.GetAlertsAsync();

        alerts.Should().HaveCount(2);
        alerts[0].Kind.Should().Be(AlertKind.FaultCleared);
        alerts[0].Condition.Should().BeNull();
        alerts[0].To.Should().Be(newer.To);
        var back = alerts[1];
        back.Strings.Should().Equal(older.Strings);
        (back with { Strings = older.Strings }).Should().Be(older);
        (await store.GetAlertsAsync(from: older.Time.AddMinutes(1))).Should().ContainSingle();
        (await store.GetAlertsAsync(to: older.Time.AddMinutes(1))).Should().ContainSingle().Which.Kind.Should().Be(AlertKind.FaultEntered);
    }

    [Fact]
    public async Task Dead_letters_keep_the_raw_payload_topic_and_reason()
    {
        await using var store = Open();
        var batch = new ResultBatch();
        var raw = new byte[] { 0x7b, 0x00, 0xff, 0x22 };
        batch.DeadLetters.Add(new DeadLetterRecord(T0, "pv/a/b/c/telemetry", raw, DeadLetterReason.MalformedJson, "The payload is not valid JSON."));
        batch.DeadLetters.Add(new DeadLetterRecord(T0.AddSeconds(1), "pv/a/b/c/telemetry", "{}"u8.ToArray(), DeadLetterReason.Duplicate, "Already stored."));
        await store.WriteAsync(batch);

        var letters = await store.GetDeadLettersAsync();

        letters.Should().HaveCount(2);
        letters[0].Reason.Should().Be(DeadLetterReason.Duplicate);
        letters[1].Payload.ToArray().Should().Equal(raw);
        letters[1].Topic.Should().Be("pv/a/b/c/telemetry");
        letters[1].Received.Should().Be(T0);
        letters[1].Message.Should().Be("The payload is not valid JSON.");
        (await store.GetDeadLettersAsync(limit: 1)).Should().ContainSingle();
    }

    [Fact]
    public async Task Data_survives_reopening_and_the_file_is_in_wal_mode()
    {
        await using (var store = Open()) await store.WriteAsync(Batch(5, S1));

        await using (var reopened = Open())
        {
            (await reopened.GetCountsAsync()).Telemetry.Should().Be(5);
            await reopened.WriteAsync(Batch(7, S1));
            (await reopened.GetCountsAsync()).Telemetry.Should().Be(7);
        }

        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir, "results.db")};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        cmd.ExecuteScalar().Should().Be("wal");
    }

    [Fact]
    public async Task Concurrent_writers_are_serialised_without_loss()
    {
        await using var store = Open();
        var tasks = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var batch = Batch(25, new StringKey("p", "inv", "s" + w));
            await store.WriteAsync(batch);
        }));
        await Task.WhenAll(tasks);

        (await store.GetCountsAsync()).Should().Be(new StoreCounts(200, 200, 0, 0, 8));
    }

    [Fact]
    public async Task A_bad_row_fails_the_whole_batch_with_a_typed_exception()
    {
        await using var store = Open();
        var batch = Batch(3, S1);
        batch.Conditions.Add(new ConditionRecord(S2, T0, "v1", "PS7", 0.5, Classes, new[] { 0.5 }, -1, false, false));

        var act = async () => await store.WriteAsync(batch);

        await act.Should().ThrowAsync<StoreWriteException>().WithMessage("*1 probabilities for 3 class codes*");
        (await store.GetCountsAsync()).Telemetry.Should().Be(0, "the transaction was rolled back");
    }

    [Fact]
    public void Options_validation_names_keys()
    {
        var errors = new SqliteStoreOptions { Path = " ", Synchronous = "OFF", BusyTimeoutMs = -1 }.Validate();
        errors.Should().BeEquivalentTo(
            "Sqlite:Path must not be empty.", "Sqlite:Synchronous must be FULL or NORMAL (got 'OFF').", "Sqlite:BusyTimeoutMs must be ≥ 0 (got -1).");
        new SqliteStoreOptions().Validate().Should().BeEmpty();
    }
}
