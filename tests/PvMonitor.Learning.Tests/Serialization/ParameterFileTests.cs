using System.Buffers;
using System.Buffers.Binary;
using PvMonitor.Learning.Nn;
using PvMonitor.Learning.Optim;
using PvMonitor.Learning.Serialization;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Tests.Serialization;

public class ParameterFileTests
{
    private static byte[] Encode(StateDict s)
    {
        var w = new ArrayBufferWriter<byte>();
        ParameterFileWriter.Write(w, s);
        return w.WrittenSpan.ToArray();
    }

    private static Sequential Model(ulong seed) =>
        new MlpBuilder(6).Hidden(8, batchNorm: true).Hidden(8).Output(3).Build(new RandomSource(seed));

    [Fact]
    public void GoldenBytes()
    {
        var s = new StateDict();
        s.Add("w", Tensor.FromArray([1f, -2f]));
        s.AddScalar("step", 3);
        var bytes = Encode(s);

        var expected = new List<byte>();
        expected.AddRange("PVML"u8.ToArray());
        expected.AddRange([1, 0, 0, 0]); // version 1, reserved
        expected.AddRange([2, 0, 0, 0]); // 2 entries
        int payload = (1 + 2 + 1 + 1 + 4 + 4 + 8) + (1 + 2 + 4 + 8);
        expected.AddRange(BitConverter.GetBytes((ulong)payload));
        expected.AddRange([1, 1, 0, (byte)'w', 1, 1, 0, 0, 0, 2, 0, 0, 0]); // tensor "w", rank 1, 1 × 2
        expected.AddRange([0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0]); // 1f, -2f
        expected.AddRange([2, 4, 0, (byte)'s', (byte)'t', (byte)'e', (byte)'p']);
        expected.AddRange([0, 0, 0, 0, 0, 0, 0x08, 0x40]); // 3.0
        bytes.AsSpan(0, bytes.Length - 4).ToArray().Should().Equal(expected);
        // CRC-32 of "123456789" is the standard check value CBF43926.
        Crc32.Compute("123456789"u8).Should().Be(0xCBF43926u);
        BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)).Should().Be(Crc32.Compute(bytes.AsSpan(0, bytes.Length - 4)));
    }

    [Fact]
    public void ModelRoundTripRestoresEveryParameterAndBuffer()
    {
        var a = Model(1);
        a.NamedBuffers().Should().Contain(b => b.Key.EndsWith("running_mean"));
        a.NamedBuffers()[0].Value.Span.Fill(0.25f);
        using var ms = new MemoryStream();
        ParameterFileWriter.Save(ms, a.StateDict());
        var b = Model(2);
        ms.Position = 0;
        b.LoadStateDict(ParameterFileReader.Load(ms));
        var sa = a.StateDict();
        var sb = b.StateDict();
        sb.Tensors.Select(t => t.Key).Should().Equal(sa.Tensors.Select(t => t.Key));
        for (int i = 0; i < sa.Tensors.Count; i++) sb.Tensors[i].Value.ToArray().Should().Equal(sa.Tensors[i].Value.ToArray());
    }

    [Fact]
    public void EveryTruncationIsRejected()
    {
        var bytes = Encode(Model(1).StateDict());
        for (int len = 0; len < bytes.Length; len += Math.Max(1, len / 10))
        {
            var act = () => ParameterFileReader.Read(bytes.AsSpan(0, len));
            act.Should().Throw<ParameterFileException>($"length {len} of {bytes.Length}");
        }

        ((Action)(() => ParameterFileReader.Read(bytes.AsSpan(0, bytes.Length - 1)))).Should().Throw<ParameterFileException>().WithMessage("*truncated*");
    }

    [Fact]
    public void EveryFlippedBitIsRejected()
    {
        var bytes = Encode(Model(1).StateDict());
        var r = new RandomSource(5);
        for (int trial = 0; trial < 200; trial++)
        {
            var copy = (byte[])bytes.Clone();
            int pos = r.NextInt(copy.Length);
            copy[pos] ^= (byte)(1 << r.NextInt(8));
            var act = () => ParameterFileReader.Read(copy);
            act.Should().Throw<ParameterFileException>($"bit flip at byte {pos}");
        }
    }

    [Fact]
    public void WrongMagicVersionAndTrailingBytesGiveClearErrors()
    {
        var bytes = Encode(Model(1).StateDict());
        var bad = (byte[])bytes.Clone();
        bad[0] = (byte)'X';
        ((Action)(() => ParameterFileReader.Read(bad))).Should().Throw<ParameterFileException>().WithMessage("*magic*");
        bad = (byte[])bytes.Clone();
        bad[4] = 2;
        ((Action)(() => ParameterFileReader.Read(bad))).Should().Throw<ParameterFileException>().WithMessage("*version 2*");
        bad = [.. bytes, 0];
        ((Action)(() => ParameterFileReader.Read(bad))).Should().Throw<ParameterFileException>().WithMessage("*trailing*");
    }

    [Fact]
    public void ShapeMismatchLoadsNothing()
    {
        var small = new MlpBuilder(6).Hidden(8).Output(3).Build(new RandomSource(1));
        var other = new MlpBuilder(6).Hidden(9).Output(3).Build(new RandomSource(2));
        var before = other.StateDict().Tensors.Select(t => t.Value.ToArray()).ToList();
        var act = () => other.LoadStateDict(small.StateDict());
        act.Should().Throw<StateDictMismatchException>().Which.Problems.Should().Contain(p => p.Contains("0.weight"));
        other.StateDict().Tensors.Select(t => t.Value.ToArray()).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void MissingAndUnexpectedEntriesAreReported()
    {
        var m = Model(1);
        var partial = new StateDict();
        partial.Add("0.weight", m.StateDict()["0.weight"]);
        partial.Add("extra", Tensor.Zeros(1));
        var act = () => Model(2).LoadStateDict(partial);
        var problems = act.Should().Throw<StateDictMismatchException>().Which.Problems;
        problems.Should().Contain(p => p.Contains("missing '1.bias'"));
        problems.Should().Contain(p => p.Contains("unexpected 'extra'"));
    }

    [Fact]
    public void OptimizerStateRoundTripsAndContinuesIdentically()
    {
        var r = new RandomSource(3);
        Tensor Make() { var p = Tensor.Parameter(3); p.CopyFrom([1f, 2f, 3f]); return p; }
        var p1 = Make();
        var p2 = Make();
        var a1 = new Adam([new("p", p1)], new AdamOptions { LearningRate = 0.05f });
        var a2 = new Adam([new("p", p2)], new AdamOptions { LearningRate = 0.05f });
        void Grad(Tensor p, float s) { p.GradData ??= new float[3]; for (int i = 0; i < 3; i++) p.GradData[i] = s * (i + 1); }
        Grad(p1, 1f);
        a1.Step();
        p1.Span.CopyTo(p2.Span);
        using var ms = new MemoryStream();
        ParameterFileWriter.Save(ms, a1.StateDict());
        ms.Position = 0;
        a2.LoadStateDict(ParameterFileReader.Load(ms));
        a2.StepCount.Should().Be(1);
        Grad(p1, -0.5f);
        Grad(p2, -0.5f);
        a1.Step();
        a2.Step();
        p2.ToArray().Should().Equal(p1.ToArray());
        _ = r;
    }

    [Fact]
    public void OptimizerStateForOtherParametersIsRejectedWholesale()
    {
        var p = Tensor.Parameter(3);
        var adam = new Adam([new("p", p)]);
        var s = new StateDict();
        s.AddScalar("step", 5);
        s.AddScalar("lr", 0.1);
        s.Add("exp_avg.p", Tensor.Zeros(2));
        var act = () => adam.LoadStateDict(s);
        act.Should().Throw<StateDictMismatchException>();
        adam.StepCount.Should().Be(0);
    }
}
