using PvMonitor.Domain.Conditions;
using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Alerts;

namespace PvMonitor.Monitoring.Tests.Alerts;

public class AlertEngineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly StringKey A1 = new("plant", "invA", "s1");

    private static AlertEngine Engine(Action<AlertsOptions>? configure = null)
    {
        var o = new AlertsOptions { GroupWindow = TimeSpan.Zero };
        configure?.Invoke(o);
        return new AlertEngine(o, new ConditionCatalog());
    }

    private static ScoredSample S(int minute, string? condition, bool anomaly = false, bool night = false, StringKey? key = null, double confidence = 0.9, double elbo = -12.5,
        double faultProbability = 1.0) =>
        new(key ?? A1, T0.AddMinutes(minute), night ? null : condition, confidence, elbo, anomaly, night, "v1") { FaultProbability = faultProbability };

    /// <summary>Feeds conditions one per minute starting at <paramref name="start"/>; "F"=PS7, "G"=RS4, "H"=PS50, "N"=normal, "A"=normal+anomaly, "z"=night.</summary>
    private static List<AlertEvent> Feed(AlertEngine engine, string pattern, int start = 0, StringKey? key = null)
    {
        var events = new List<AlertEvent>();
        for (var k = 0; k < pattern.Length; k++)
        {
            var sample = pattern[k] switch
            {
                'F' => S(start + k, "PS7", key: key),
                'G' => S(start + k, "RS4", key: key),
                'H' => S(start + k, "PS50", key: key),
                'N' => S(start + k, "N", key: key),
                'A' => S(start + k, "N", anomaly: true, key: key),
                'z' => S(start + k, null, night: true, key: key),
                _ => throw new ArgumentException(pattern),
            };
            engine.Process(sample, events);
        }

        return events;
    }

    [Fact]
    public void Fault_calls_count_only_when_the_fault_classes_together_reach_the_minimum_probability()
    {
        var engine = Engine(o => o.MinFaultProbability = 0.9);
        var events = new List<AlertEvent>();
        for (var m = 0; m < 10; m++) engine.Process(S(m, "RS4", confidence: 0.7) with { FaultProbability = 0.75 }, events);
        events.Should().BeEmpty("a confident RS4 call with a quarter of the probability on normal classes is not counted");

        // Wavering between fault classes with low top-class confidence but nearly all mass on faults: counted.
        for (var m = 10; m < 13; m++) engine.Process(S(m, m % 2 == 0 ? "PS50" : "RS4", confidence: 0.4) with { FaultProbability = 0.95 }, events);
        events.Should().ContainSingle().Which.Should().Match<AlertEvent>(e => e.Kind == AlertKind.FaultEntered && e.From == T0.AddMinutes(10));

        for (var m = 13; m < 18; m++) engine.Process(S(m, "RS4", confidence: 0.5) with { FaultProbability = 0.6 }, events);
        events.Should().HaveCount(2).And.Subject.Last().Kind.Should().Be(AlertKind.FaultCleared, "unsure calls count as not matching");
    }

    [Fact]
    public void Without_a_fault_probability_the_top_class_confidence_stands_in_and_zero_counts_everything()
    {
        var strict = Engine(o => o.MinFaultProbability = 0.9);
        var events = new List<AlertEvent>();
        for (var m = 0; m < 5; m++) strict.Process(S(m, "RS4", confidence: 0.85, faultProbability: double.NaN), events);
        events.Should().BeEmpty();
        for (var m = 5; m < 8; m++) strict.Process(S(m, "RS4", confidence: 0.95, faultProbability: double.NaN), events);
        events.Should().ContainSingle().Which.Kind.Should().Be(AlertKind.FaultEntered);

        var lax = Engine(o => o.MinFaultProbability = 0);
        var laxEvents = new List<AlertEvent>();
        for (var m = 0; m < 3; m++) lax.Process(S(m, "RS4", confidence: 0.2) with { FaultProbability = 0.3 }, laxEvents);
        laxEvents.Should().ContainSingle().Which.Kind.Should().Be(AlertKind.FaultEntered);
    }

    [Fact]
    public void Fault_probability_sums_the_fault_classes_of_the_models_list()
    {
        var engine = Engine();
        string[] classes = ["N", "RS4", "PS50", "C", "XYZ"];
        engine.FaultProbability(classes, [0.05f, 0.5f, 0.4f, 0.02f, 0.03f]).Should().BeApproximately(0.9, 1e-6, "N, C and the unknown XYZ are not faults");
        engine.FaultProbability(classes, [1f, 0f, 0f, 0f, 0f]).Should().Be(0);
        engine.FaultProbability(["PS7", "N"], [0.25f, 0.75f]).Should().BeApproximately(0.25, 1e-6, "a new class list gets its own mask");
    }

    [Fact]
    public void Anomaly_opened_names_the_top_sensors_by_absolute_z_and_other_kinds_none()
    {
        var engine = Engine();
        var events = new List<AlertEvent>();
        string[] features = ["I", "V", "G", "TExt", "TMod", "W"];
        for (var m = 0; m < 3; m++)
            engine.Process(S(m, "N", anomaly: true) with { Features = features, ReconstructionZ = new[] { 0.5f, -7.25f, 3f, float.NaN, -3f, 1f } }, events);
        for (var m = 3; m < 8; m++)
            engine.Process(S(m, "N") with { Features = features, ReconstructionZ = new[] { 9f, 0f, 0f, 0f, 0f, 0f } }, events);

        events.Select(e => e.Kind).Should().Equal(AlertKind.AnomalyOpened, AlertKind.AnomalyClosed);
        events[0].Sensors.Should().Equal(new SensorScore("V", -7.25), new SensorScore("G", 3), new SensorScore("TMod", -3));
        events[1].Sensors.Should().BeEmpty();
    }

    [Fact]
    public void Sensor_text_round_trips_and_bad_parts_are_skipped()
    {
        IReadOnlyList<SensorScore> sensors = [new("V", -7.25), new("T=Mod", 0.1)];
        SensorScore.Format(sensors).Should().Be("V=-7.25;T=Mod=0.1");
        SensorScore.Parse(SensorScore.Format(sensors)).Should().Equal(sensors);
        SensorScore.Parse("V=abc;=1;I=2.5;").Should().Equal(new SensorScore("I", 2.5));
        SensorScore.Parse(null).Should().BeEmpty();
        SensorScore.Top(null, [1f]).Should().BeEmpty();
    }

    [Fact]
    public void Two_of_five_faults_do_not_alert()
    {
        Feed(Engine(), "NFNNFNNFNNNF").Should().BeEmpty();
    }

    [Fact]
    public void Three_of_the_last_five_enter_a_fault_with_from_at_the_first_match()
    {
        var events = Feed(Engine(), "NNFNFNF");

        var e = events.Should().ContainSingle().Subject;
        e.Kind.Should().Be(AlertKind.FaultEntered);
        e.IsRepeat.Should().BeFalse();
        e.Condition.Should().Be("PS7");
        e.From.Should().Be(T0.AddMinutes(2));
        e.To.Should().BeNull();
        e.Time.Should().Be(T0.AddMinutes(6));
        e.Strings.Should().Equal("s1");
        e.Plant.Should().Be("plant");
        e.Inverter.Should().Be("invA");
        e.Confidence.Should().Be(0.9);
        e.Elbo.Should().Be(-12.5);
        e.ModelVersion.Should().Be("v1");
    }

    [Fact]
    public void Debounce_n_and_m_are_configurable()
    {
        var engine = Engine(o => { o.DebounceCount = 2; o.DebounceWindow = 2; });
        Feed(engine, "FNFN").Should().BeEmpty();
        Feed(engine, "FF", start: 4).Should().ContainSingle().Which.Kind.Should().Be(AlertKind.FaultEntered);
    }

    [Fact]
    public void The_entered_condition_is_the_most_frequent_fault_in_the_window()
    {
        Feed(Engine(), "GFGNF" + "G").Should().ContainSingle().Which.Condition.Should().Be("RS4");
        Feed(Engine(), "GHF").Should().ContainSingle().Which.Condition.Should().Be("PS7", "a tie goes to the latest");
    }

    [Fact]
    public void Normal_and_environmental_and_unknown_conditions_are_not_faults()
    {
        var engine = Engine();
        var events = new List<AlertEvent>();
        for (var k = 0; k < 10; k++) engine.Process(S(k, k % 3 == 0 ? "S" : k % 3 == 1 ? "C" : "XYZ"), events);
        events.Should().BeEmpty();
    }

    [Fact]
    public void Hysteresis_clears_only_after_k_consecutive_non_faults()
    {
        var engine = Engine();
        var events = Feed(engine, "FFF" + "NNNNF" + "NNNN");
        events.Should().ContainSingle().Which.Kind.Should().Be(AlertKind.FaultEntered);

        events = Feed(engine, "N", start: 12);

        var cleared = events.Should().ContainSingle().Subject;
        cleared.Kind.Should().Be(AlertKind.FaultCleared);
        cleared.Condition.Should().Be("PS7");
        cleared.From.Should().Be(T0);
        cleared.To.Should().Be(T0.AddMinutes(8), "the episode ends at the first sample of the clearing run");
        cleared.Time.Should().Be(T0.AddMinutes(12));
    }

    [Fact]
    public void A_noisy_fault_episode_gives_exactly_one_entered_and_one_cleared()
    {
        var events = Feed(Engine(), "NNNN" + "FFNFFFNFFNFFFFNF" + "NNNNNNNNNN" + "NFNNNNNNN");

        events.Select(e => e.Kind).Should().Equal(AlertKind.FaultEntered, AlertKind.FaultCleared);
    }

    [Fact]
    public void A_fault_can_enter_again_after_clearing()
    {
        var events = Feed(Engine(), "FFF" + "NNNNN" + "FFF");
        events.Select(e => e.Kind).Should().Equal(AlertKind.FaultEntered, AlertKind.FaultCleared, AlertKind.FaultEntered);
        events[2].From.Should().Be(T0.AddMinutes(8), "matches before the clear are forgotten");
    }

    [Fact]
    public void Switching_between_fault_conditions_keeps_one_episode_and_repeats_carry_the_latest()
    {
        var engine = Engine(o => o.RepeatInterval = TimeSpan.FromMinutes(10));
        var events = Feed(engine, "FFF" + "GGGGGGGGGGGG");

        events.Should().HaveCount(2);
        events[0].Kind.Should().Be(AlertKind.FaultEntered);
        events[0].Condition.Should().Be("PS7");
        events[1].IsRepeat.Should().BeTrue();
        events[1].Kind.Should().Be(AlertKind.FaultEntered);
        events[1].Condition.Should().Be("RS4");
        events[1].From.Should().Be(T0);
    }

    [Fact]
    public void Open_alerts_repeat_every_interval_of_sample_time()
    {
        var engine = Engine();
        var events = Feed(engine, new string('F', 130));

        events.Should().HaveCount(3);
        events[0].IsRepeat.Should().BeFalse();
        events[1].IsRepeat.Should().BeTrue();
        events[1].Time.Should().Be(T0.AddMinutes(62));
        events[2].Time.Should().Be(T0.AddMinutes(122));
        events.Should().AllSatisfy(e => e.From.Should().Be(T0));
    }

    [Fact]
    public void Repeat_interval_zero_disables_repeats()
    {
        Feed(Engine(o => o.RepeatInterval = TimeSpan.Zero), new string('F', 200)).Should().ContainSingle();
    }

    [Fact]
    public void Night_samples_neither_open_nor_close_nor_repeat()
    {
        var engine = Engine();
        Feed(engine, "FFzzzzzzzz").Should().BeEmpty("two faults separated by night are not three");
        var events = Feed(engine, "F" + new string('z', 600) + "NNNN", start: 10);
        events.Should().HaveCount(2, "no repeats during the night, one at the first scored sample after it");
        events[0].Kind.Should().Be(AlertKind.FaultEntered);
        events[0].From.Should().Be(T0);
        events[1].IsRepeat.Should().BeTrue();
        events[1].Time.Should().Be(T0.AddMinutes(611));

        Feed(engine, "N", start: 700).Should().ContainSingle().Which.Kind.Should().Be(AlertKind.FaultCleared);
    }

    [Fact]
    public void Anomaly_episodes_open_and_close_independently_of_faults()
    {
        var engine = Engine();
        var events = Feed(engine, "AAA" + "FFF" + "NNNNN");

        events.Select(e => e.Kind).Should().Equal(AlertKind.AnomalyOpened, AlertKind.FaultEntered, AlertKind.AnomalyClosed, AlertKind.FaultCleared);
        var opened = events[0];
        opened.Condition.Should().Be("N");
        opened.From.Should().Be(T0);
        events[2].To.Should().Be(T0.AddMinutes(3));
        events[3].To.Should().Be(T0.AddMinutes(6));
    }

    [Fact]
    public void Stale_or_repeated_samples_are_ignored_and_counted()
    {
        var engine = Engine();
        var events = new List<AlertEvent>();
        engine.Process(S(0, "PS7"), events);
        engine.Process(S(1, "PS7"), events);
        engine.Process(S(1, "PS7"), events);
        engine.Process(S(0, "PS7"), events);

        events.Should().BeEmpty("the redelivered copies must not count towards the debounce");
        engine.IgnoredSamples.Should().Be(2);
        engine.Process(S(2, "PS7"), events);
        events.Should().ContainSingle();
    }

    [Fact]
    public void Dedup_key_is_per_string_and_family()
    {
        var engine = Engine();
        var s2 = A1 with { String = "s2" };
        var events = Feed(engine, "FFF", key: A1);
        events.AddRange(Feed(engine, "FFF", start: 0, key: s2));
        events.AddRange(Feed(engine, "FFF", start: 3, key: A1));

        events.Should().HaveCount(2);
        events.Select(e => e.Strings[0]).Should().Equal("s1", "s2");
    }

    [Fact]
    public void Simultaneous_strings_of_one_inverter_are_grouped()
    {
        var engine = Engine(o => o.GroupWindow = TimeSpan.FromSeconds(30));
        var events = new List<AlertEvent>();
        string[] strings = ["s3", "s1", "s2"];
        for (var minute = 0; minute < 3; minute++)
        {
            foreach (var s in strings)
                engine.Process(S(minute, "PS7", key: A1 with { String = s }, confidence: s == "s2" ? 0.95 : 0.8, elbo: s == "s3" ? -40 : -10), events);
            engine.Process(S(minute, "PS7", key: new StringKey("plant", "invB", "s1")), events);
        }

        events.Should().BeEmpty("events wait for the group window");
        engine.PendingGroups.Should().Be(2);
        engine.Process(S(3, "N", key: A1), events);

        events.Should().HaveCount(2);
        var a = events[0];
        a.Inverter.Should().Be("invA");
        a.Strings.Should().Equal("s1", "s2", "s3");
        a.StringList.Should().Be("s1,s2,s3");
        a.Confidence.Should().Be(0.95);
        a.Elbo.Should().Be(-40);
        a.From.Should().Be(T0);
        a.Link.Should().Contain("strings=s1%2Cs2%2Cs3");
        events[1].Inverter.Should().Be("invB");
        events[1].Strings.Should().Equal("s1");
    }

    [Fact]
    public void Events_outside_the_group_window_are_separate()
    {
        var engine = Engine(o => o.GroupWindow = TimeSpan.FromSeconds(30));
        var events = Feed(engine, "FFF", key: A1);
        events.AddRange(Feed(engine, "FFF", start: 1, key: A1 with { String = "s2" }));
        engine.Flush(events);

        events.Should().HaveCount(2);
        events.Should().AllSatisfy(e => e.Strings.Should().HaveCount(1));
    }

    [Fact]
    public void Different_kinds_or_conditions_are_not_grouped()
    {
        var engine = Engine(o => o.GroupWindow = TimeSpan.FromMinutes(1));
        var events = Feed(engine, "FFF", key: A1);
        events.AddRange(Feed(engine, "GGG", key: A1 with { String = "s2" }));
        events.AddRange(Feed(engine, "AAA", key: A1 with { String = "s3" }));
        engine.Flush(events);

        events.Select(e => (e.Kind, e.Condition, e.Strings.Count)).Should().Equal(
            (AlertKind.FaultEntered, "PS7", 1), (AlertKind.FaultEntered, "RS4", 1), (AlertKind.AnomalyOpened, "N", 1));
    }

    [Fact]
    public void Advance_releases_groups_when_data_stops()
    {
        var engine = Engine(o => o.GroupWindow = TimeSpan.FromSeconds(30));
        Feed(engine, "FFF").Should().BeEmpty();
        var events = new List<AlertEvent>();
        engine.Advance(T0.AddMinutes(2).AddSeconds(30), events);
        events.Should().BeEmpty("the window has not passed yet");
        engine.Advance(T0.AddMinutes(2).AddSeconds(31), events);
        events.Should().ContainSingle();
    }

    [Fact]
    public void Link_points_at_the_operator_page()
    {
        var engine = Engine(o => o.OperatorBaseUrl = "https://ops.example/pv/");
        var e = Feed(engine, "FFF", key: new StringKey("North Field", "inv/1", "s1")).Single();
        e.Link.Should().Be("https://ops.example/pv/?plant=North%20Field&inverter=inv%2F1&strings=s1&from=2026-06-01T08%3A00%3A00.000Z");
    }

    [Fact]
    public void Same_input_gives_the_same_output()
    {
        static string Run()
        {
            var engine = Engine(o => o.GroupWindow = TimeSpan.FromSeconds(30));
            var events = new List<AlertEvent>();
            var random = new Random(42);
            for (var minute = 0; minute < 300; minute++)
                for (var s = 0; s < 4; s++)
                {
                    var r = random.NextDouble();
                    engine.Process(new ScoredSample(new StringKey("p", "i" + (s / 2), "s" + s), T0.AddMinutes(minute),
                        r < 0.3 ? "PS7" : "N", r, -r * 10, r > 0.8, minute % 100 > 90, "v1") { FaultProbability = r < 0.3 ? 0.95 : 0.05 }, events);
                }

            engine.Flush(events);
            return string.Join("\n", events.Select(e => System.Text.Encoding.UTF8.GetString(AlertJsonWriter.ToUtf8Bytes(e))));
        }

        var first = Run();
        first.Should().Contain("fault_entered").And.Contain("anomaly_opened");
        Run().Should().Be(first);
    }

    [Fact]
    public void Options_validation_names_keys()
    {
        var o = new AlertsOptions
        {
            DebounceCount = 6,
            DebounceWindow = 5,
            ClearAfter = 0,
            RepeatInterval = TimeSpan.FromMinutes(-1),
            GroupWindow = TimeSpan.FromSeconds(-1),
            OperatorBaseUrl = "not a url",
            QueueCapacity = 0,
            MaxRetries = -1,
            RetryBaseDelay = TimeSpan.Zero,
            AttemptTimeout = TimeSpan.Zero,
            Webhooks = [new WebhookTarget { Url = "ftp://x", Secret = "" }],
        };

        var errors = o.Validate();

        errors.Should().Contain(e => e.StartsWith("Alerts:Webhooks:0:Url "));
        errors.Should().Contain("Alerts:Webhooks:0:Secret must not be empty.");
        errors.Should().Contain(e => e.StartsWith("Alerts:DebounceCount "));
        errors.Should().Contain(e => e.StartsWith("Alerts:ClearAfter "));
        errors.Should().Contain(e => e.StartsWith("Alerts:RepeatInterval "));
        errors.Should().Contain(e => e.StartsWith("Alerts:GroupWindow "));
        errors.Should().Contain(e => e.StartsWith("Alerts:OperatorBaseUrl "));
        errors.Should().Contain(e => e.StartsWith("Alerts:QueueCapacity "));
        errors.Should().Contain(e => e.StartsWith("Alerts:MaxRetries "));
        errors.Should().Contain(e => e.StartsWith("Alerts:RetryBaseDelay "));
        errors.Should().Contain(e => e.StartsWith("Alerts:AttemptTimeout "));
        new AlertsOptions().Validate().Should().BeEmpty();
        var act = () => new AlertEngine(o, new ConditionCatalog());
        act.Should().Throw<ArgumentException>().WithMessage("*Alerts:ClearAfter*");
    }
}
