using PvMonitor.Learning.Data;

namespace PvMonitor.Learning.Tests.Data;

public class StandardizerAndSamplingTests
{
    [Fact]
    public void Standardised_columns_have_zero_mean_and_unit_std_and_constant_columns_stay_finite()
    {
        float[] x = [1, 10, 5, 2, 20, 5, 3, 30, 5, 4, 40, 5];
        var s = Standardizer.Fit(x, 4, 3);
        s.Mean.Should().Equal(2.5f, 25f, 5f);
        s.Std[0].Should().BeApproximately(1.118034f, 1e-5f);
        var z = new float[x.Length];
        s.Transform(x, z);
        for (int c = 0; c < 3; c++)
        {
            var col = Enumerable.Range(0, 4).Select(r => z[r * 3 + c]).ToArray();
            col.Average().Should().BeApproximately(0f, 1e-5f);
            if (c < 2) Math.Sqrt(col.Select(v => v * v).Average()).Should().BeApproximately(1, 1e-5);
            else col.Should().OnlyContain(v => v == 0);
        }
    }

    [Fact]
    public void Split_is_a_partition_and_is_deterministic_per_seed()
    {
        var (train, test) = Sampling.TrainTestSplit(1000, 0.2, new RandomSource(7));
        test.Should().HaveCount(200);
        train.Concat(test).Order().Should().Equal(Enumerable.Range(0, 1000));
        var (train2, _) = Sampling.TrainTestSplit(1000, 0.2, new RandomSource(7));
        train2.Should().Equal(train);
        var (train3, _) = Sampling.TrainTestSplit(1000, 0.2, new RandomSource(8));
        train3.Should().NotEqual(train);
    }

    [Fact]
    public void Labels_per_class_keeps_exactly_n_of_each_class()
    {
        var labels = Enumerable.Range(0, 300).Select(i => i % 3).ToArray();
        labels[0] = -1;
        var kept = Sampling.KeepLabelsPerClass(labels, 3, 10, new RandomSource(1));
        kept.Count(y => y == 0).Should().Be(10);
        kept.Count(y => y == 1).Should().Be(10);
        kept.Count(y => y == 2).Should().Be(10);
        kept.Count(y => y == -1).Should().Be(270);
        kept[0].Should().Be(-1);
        for (int i = 0; i < kept.Length; i++) if (kept[i] >= 0) kept[i].Should().Be(labels[i]);
    }

    [Fact]
    public void Label_encoding_maps_unknown_and_null_to_minus_one()
    {
        var enc = new LabelEncoding(["N", "S"]);
        enc.Encode(["S", null, "X", "N"]).Should().Equal(1, -1, -1, 0);
        var act = () => new LabelEncoding(["N", "N"]);
        act.Should().Throw<ArgumentException>().WithMessage("*'N'*twice*");
    }
}
