using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models.Classifiers;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Tests.Models;
using PvMonitor.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Tests.Training;

public class TrainingDefaultsTests
{
    [Theory]
    [InlineData(15, 200, 200, 134)]   // a new plant's few thousand rows: ~15 steps per epoch
    [InlineData(120, 200, 25, 17)]    // 12,000 rows
    [InlineData(10_000, 200, 10, 5)]  // a million rows: the floors hold
    [InlineData(120, 12, 12, 12)]     // never beyond the maximum epochs
    public void The_automatic_schedule_counts_optimizer_steps(int stepsPerEpoch, int epochs, int expectedMin, int expectedPatience)
    {
        StoppingSchedule.Resolve(null, null, epochs, stepsPerEpoch).Should().Be((expectedMin, expectedPatience));
    }

    [Fact]
    public void Explicit_minimum_and_patience_win_over_the_automatic_schedule()
    {
        StoppingSchedule.Resolve(0, 20, 200, 15).Should().Be((0, 20));
    }

    [Fact]
    public void A_single_lucky_epoch_is_not_kept_when_scores_are_smoothed()
    {
        using var module = nn.Linear(2, 1);
        // Epoch 2 is a spike of a noisy validation accuracy; epochs 5–8 are consistently good.
        double[] scores = [0.50, 0.90, 0.50, 0.55, 0.85, 0.86, 0.86, 0.87, 0.60];
        using var raw = new EarlyStopping(module, patience: 0, smoothing: 1.0);
        using var smoothed = new EarlyStopping(module, patience: 0, smoothing: 0.3);
        for (int e = 0; e < scores.Length; e++)
        {
            raw.Observe(e + 1, scores[e]);
            smoothed.Observe(e + 1, scores[e]);
        }

        raw.BestEpoch.Should().Be(2, "raw scores keep the spike");
        smoothed.BestEpoch.Should().Be(8, "the moving average keeps the end of the good stretch");
    }

    [Fact]
    public void Early_stopping_waits_for_the_minimum_epochs_even_when_patience_has_run_out()
    {
        using var module = nn.Linear(2, 1);
        using var stopping = new EarlyStopping(module, patience: 2, minEpochs: 6);
        stopping.Observe(1, 1.0);
        for (int e = 2; e <= 5; e++)
        {
            stopping.Observe(e, 0.0);
            stopping.ShouldStop(e).Should().BeFalse($"epoch {e} is before the minimum of 6");
        }

        stopping.Observe(6, 0.0);
        stopping.ShouldStop(6).Should().BeTrue();
    }

    [Fact]
    public void The_robust_scaler_uses_median_and_interquartile_range_and_ignores_outliers()
    {
        // Column 0: 1..99 plus one glitch of 1e6; column 1: constant except one value (zero IQR → standard deviation).
        int rows = 100;
        var x = new float[rows * 2];
        for (int r = 0; r < rows; r++)
        {
            x[r * 2] = r == 99 ? 1e6f : r + 1;
            x[r * 2 + 1] = r == 0 ? 10f : 0f;
        }

        var robust = Standardizer.FitRobust(x, rows, 2);
        var standard = Standardizer.Fit(x, rows, 2);
        robust.Mean[0].Should().BeApproximately(50.5f, 1e-3f);
        robust.Std[0].Should().BeApproximately(49.5f / 1.349f, 1e-2f, "IQR of 1..99 plus one outlier is 74.25 − 24.75");
        standard.Std[0].Should().BeGreaterThan(90_000, "the glitch dominates the standard deviation");
        robust.Mean[1].Should().Be(0f);
        robust.Std[1].Should().BeApproximately(standard.Std[1], 1e-6f);
    }

    [Fact]
    public void The_paper_preset_keeps_the_papers_settings_and_the_default_differs_where_measured()
    {
        var paper = TrainingPreset.Find("paper")!;
        paper.Sdgm.LearningRate.Should().Be(3e-4f);
        paper.Sdgm.Beta.Should().Be(0.1f);
        paper.Sdgm.Patience.Should().Be(20);
        paper.Sdgm.Smoothing.Should().Be(1.0);
        paper.Mlp.Dropout.Should().Be(0.5f);
        paper.Scaling.Should().Be(InputScalingMethod.Standard);

        var defaults = TrainingPreset.Find("DEFAULT")!;
        defaults.Sdgm.Should().Be(new SdgmOptions());
        defaults.Mlp.Should().Be(ClassifierOptions.Mlp);
        defaults.Sdgm.LearningRate.Should().Be(1e-3f);
        defaults.Sdgm.Beta.Should().Be(20f);
        defaults.Scaling.Should().Be(InputScalingMethod.Robust);
        TrainingPreset.Find("nope").Should().BeNull();
    }

    [Fact]
    public void Training_on_one_class_with_defaults_runs_the_minimum_and_calibrates_a_threshold_near_the_training_elbos()
    {
        var (x, y) = SyntheticClusters.Make(400, 1, 4, seed: 9);
        var table = new TabularData(x, 400, ["a", "b", "c", "d"], y.Select(_ => (string?)"normal").ToArray());
        var request = new TrainRequest { Kind = "sdgm", Seed = 5, Sdgm = new SdgmOptions { Hidden = 16, Z1 = 2, Z2 = 2, Epochs = 30 } };
        using var model = (SdgmModel)ConditionModelTrainer.Train(table, request);
        var m = model.Manifest.Metrics;
        m["min_epochs"].Should().Be(30, "4 steps per epoch ask for far more than 30 epochs, capped at the maximum");
        m["epochs_run"].Should().Be(30);
        m["best_epoch"].Should().BeGreaterThan(10, "an untrained early epoch must never be kept");
        model.Manifest.Threshold!.Elbo.Should().BeInRange(m["train_elbo_p50"] - 30, m["train_elbo_p50"],
            "the threshold is a few nats below typical training ELBOs, not tens of thousands");
        model.Manifest.Normalisation.Method.Should().Be("robust");
    }

    [Fact]
    public void A_time_limit_ends_training_after_the_epoch_that_passes_it_and_keeps_the_best_so_far()
    {
        var (x, y) = SyntheticClusters.Make(200, 2, 4, seed: 2);
        var (network, outcome) = SdgmTrainer.Train(new TrainingSet(x, 4, y, 2), new SdgmOptions { Hidden = 8, Z1 = 2, Z2 = 2, Epochs = 10_000 },
            new RandomSource(1), timeLimit: TimeSpan.FromSeconds(1));
        network.Dispose();
        outcome.EpochsRun.Should().BeLessThan(10_000);
        outcome.BestEpoch.Should().BeInRange(1, outcome.EpochsRun);
        outcome.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }
}
