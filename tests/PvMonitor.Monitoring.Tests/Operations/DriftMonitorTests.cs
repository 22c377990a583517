using PvMonitor.Domain.Telemetry;
using PvMonitor.Monitoring.Operations.Drift;
using PvMonitor.Monitoring.Storage;

namespace PvMonitor.Monitoring.Tests.Operations;

public sealed class DriftMonitorTests
{
    private static readonly StringKey A = new("p1", "INV1", "S1");
    private static readonly StringKey B = new("p1", "INV1", "S2");
    private static readonly DriftReference Reference = new("m1", TrainingMedian: -1.0, TrainingP01: -10.0, Threshold: -12.0, ExpectedFlaggedRate: 0.005);
    private static readonly DriftOptions Options = new() { Window = 100, MinSamples = 50, MaxFlaggedRate = 0.05 };

    private static ConditionRecord Scored(StringKey key, double elbo, string model = "m1") =>
        new(key, DateTimeOffset.UnixEpoch, model, "N", 0.9, ["N"], new double[] { 1 }, elbo, elbo < Reference.Threshold, Night: false);

    [Fact]
    public void A_string_like_the_training_data_does_not_drift()
    {
        var monitor = new DriftMonitor(Options, Reference);
        for (var i = 0; i < 100; i++) monitor.Observe([Scored(A, -1.0 - i % 5 * 0.1)]);

        var a = monitor.Report().Single();
        (a.Samples, a.Drifting, a.Reason, a.FlaggedRate).Should().Be((100, false, null, 0.0));
        a.MedianElbo.Should().BeApproximately(-1.2, 1e-6);
    }

    [Fact]
    public void Too_many_flagged_samples_make_a_string_drift_and_it_recovers_when_they_leave_the_window()
    {
        var monitor = new DriftMonitor(Options, Reference);
        for (var i = 0; i < 100; i++) monitor.Observe([Scored(A, i < 10 ? -50 : -1)]);

        var drifting = monitor.Report().Single();
        drifting.FlaggedRate.Should().Be(0.10);
        drifting.Drifting.Should().BeTrue();
        drifting.Reason.Should().StartWith("10.0 % of the last 100 samples flagged anomalous (training: 0.5 %, limit 5.0 %)");

        for (var i = 0; i < 10; i++) monitor.Observe([Scored(A, -1)]);
        monitor.Report().Single().Should().Match<StringDrift>(d => d.FlaggedRate == 0 && !d.Drifting, "the flagged samples rolled out of the window");
    }

    [Fact]
    public void A_median_below_the_training_first_percentile_drifts_even_without_flags()
    {
        var monitor = new DriftMonitor(Options, Reference);
        for (var i = 0; i < 60; i++) monitor.Observe([Scored(B, -11)]);
        for (var i = 0; i < 60; i++) monitor.Observe([Scored(A, -2)]);

        var report = monitor.Report();
        report.Select(d => d.Key).Should().Equal([B, A], "drifting strings first");
        report[0].Reason.Should().Be("median ELBO -11.00 nats below the training 1st percentile -10.00 (training median -1.00)");
        report[1].Drifting.Should().BeFalse();
    }

    [Fact]
    public void Fewer_samples_than_the_minimum_are_not_judged_and_night_or_other_models_records_are_ignored()
    {
        var monitor = new DriftMonitor(Options, Reference);
        for (var i = 0; i < 49; i++) monitor.Observe([Scored(A, -50)]);
        monitor.Observe([ConditionRecord.ForNight(A, DateTimeOffset.UnixEpoch, "m1")]);
        monitor.Observe([Scored(A, -50, model: "m0")]);

        var a = monitor.Report().Single();
        (a.Samples, a.Drifting).Should().Be((49, false));
        monitor.Observe([Scored(A, -50)]);
        monitor.Report().Single().Drifting.Should().BeTrue();
    }

    [Fact]
    public void Another_model_starts_every_window_over_and_a_model_without_elbo_tracks_nothing()
    {
        var monitor = new DriftMonitor(Options, Reference);
        for (var i = 0; i < 60; i++) monitor.Observe([Scored(A, -50)]);

        monitor.Reset(Reference with { ModelVersion = "m2" });
        monitor.Report().Should().BeEmpty();
        monitor.Observe([Scored(A, -1, model: "m2")]);
        monitor.Report().Single().Samples.Should().Be(1);

        monitor.Reset(null);
        monitor.Observe([Scored(A, -1, model: "m2")]);
        monitor.Report().Should().BeEmpty();
    }

    [Fact]
    public void Bad_options_name_the_key()
    {
        var act = () => new DriftMonitor(new DriftOptions { Window = 5 }, Reference);
        act.Should().Throw<ArgumentException>().WithMessage("Drift:Window must be 10–100000 samples (was 5).*");
    }
}
