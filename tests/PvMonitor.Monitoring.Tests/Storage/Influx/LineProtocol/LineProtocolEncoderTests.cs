using System.Buffers;
using System.Globalization;
using System.Text;
using PvMonitor.Monitoring.Storage.Influx.LineProtocol;

namespace PvMonitor.Monitoring.Tests.Storage.Influx.LineProtocol;

public class LineProtocolEncoderTests
{
    private static string Line(PointData p, WritePrecision precision = WritePrecision.Nanoseconds) => p.ToLineProtocol(precision);

    [Fact]
    public void Measurement_escapes_comma_and_space_but_not_equals()
    {
        Line(PointData.Measurement("my measurement,x").Field("v", 1L)).Should().Be(@"my\ measurement\,x v=1i");
        Line(PointData.Measurement("a=b").Field("v", 1L)).Should().Be("a=b v=1i");
    }

    [Fact]
    public void Tag_keys_and_values_escape_comma_equals_and_space()
    {
        Line(PointData.Measurement("m").Tag("tag key,=", "tag value,=").Field("f", 1L))
            .Should().Be(@"m,tag\ key\,\==tag\ value\,\= f=1i");
    }

    [Fact]
    public void Field_keys_escape_comma_equals_and_space()
    {
        Line(PointData.Measurement("m").Field("field key,=", 1.5)).Should().Be(@"m field\ key\,\==1.5");
    }

    [Fact]
    public void String_fields_escape_quotes_and_backslashes_and_keep_newlines()
    {
        var line = Line(PointData.Measurement("m").Field("s", "say \"hi\" C:\\path\nnext line, a=b"));
        line.Should().Be("m s=\"say \\\"hi\\\" C:\\\\path\nnext line, a=b\"");
    }

    [Fact]
    public void Backslashes_not_before_a_special_character_are_written_as_they_are()
    {
        Line(PointData.Measurement(@"m\x").Tag(@"k\a", @"v\b").Field(@"f\c", 1L)).Should().Be(@"m\x,k\a=v\b f\c=1i");
        // An even run of backslashes before a delimiter is unambiguous: the escape adds one more.
        Line(PointData.Measurement("m").Tag("k", @"a\\,b").Field("f", 1L)).Should().Be(@"m,k=a\\\,b f=1i");
    }

    [Theory]
    [InlineData("trailing\\")]
    [InlineData("odd\\,comma")]
    [InlineData("odd\\ space")]
    [InlineData("three\\\\\\=equals")]
    public void An_odd_backslash_run_before_a_delimiter_or_at_the_end_is_rejected_naming_the_tag(string value)
    {
        var act = () => PointData.Measurement("m").Tag("inverter", value);
        act.Should().Throw<LineProtocolException>().WithMessage("*tag 'inverter'*backslash*");
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    public void Line_breaks_in_names_and_tag_values_are_rejected(string text)
    {
        FluentActions.Invoking(() => PointData.Measurement(text)).Should().Throw<LineProtocolException>().WithMessage("Measurement name*line break*");
        FluentActions.Invoking(() => PointData.Measurement("m").Tag(text, "v")).Should().Throw<LineProtocolException>().WithMessage("Tag key*line break*");
        FluentActions.Invoking(() => PointData.Measurement("m").Tag("plant", text)).Should().Throw<LineProtocolException>().WithMessage("Value of tag 'plant'*line break*");
        FluentActions.Invoking(() => PointData.Measurement("m").Field(text, 1.0)).Should().Throw<LineProtocolException>().WithMessage("Field key*line break*");
    }

    [Fact]
    public void Empty_names_are_rejected_and_empty_tag_values_leave_the_tag_out()
    {
        FluentActions.Invoking(() => PointData.Measurement("")).Should().Throw<LineProtocolException>().WithMessage("Measurement name is empty*");
        FluentActions.Invoking(() => PointData.Measurement("m").Tag("", "v")).Should().Throw<LineProtocolException>();
        FluentActions.Invoking(() => PointData.Measurement("m").Field("", 1.0)).Should().Throw<LineProtocolException>().WithMessage("Field key is empty*");
        Line(PointData.Measurement("m").Tag("a", "").Tag("b", null).Tag("c", "x").Field("f", true)).Should().Be("m,c=x f=true");
        Line(PointData.Measurement("m").Tag("a", "1").Tag("a", "").Field("f", true)).Should().Be("m f=true");
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Non_finite_floats_are_rejected_naming_the_field(double value, string shown)
    {
        var act = () => PointData.Measurement("pv").Field("v_dc", value);
        act.Should().Throw<LineProtocolException>().WithMessage($"Field 'v_dc' is {shown}*finite*").And.ParamName.Should().Be("v_dc");
    }

    [Fact]
    public void A_point_without_fields_is_rejected()
    {
        var act = () => Line(PointData.Measurement("pv").Tag("plant", "p1"));
        act.Should().Throw<LineProtocolException>().WithMessage("*'pv' has no fields*");
    }

    [Fact]
    public void Field_types_are_written_in_their_line_protocol_forms()
    {
        var p = PointData.Measurement("m")
            .Field("f", 0.1).Field("one", 1.0).Field("neg0", -0.0).Field("big", 1e21).Field("max", double.MaxValue).Field("tiny", double.Epsilon)
            .Field("i", -42L).Field("imin", long.MinValue).Field("int", 7)
            .Field("t", true).Field("fa", false).Field("s", "");
        Line(p).Should().Be("m f=0.1,one=1,neg0=-0,big=1E+21,max=1.7976931348623157E+308,tiny=5E-324,i=-42i,imin=-9223372036854775808i,int=7i,t=true,fa=false,s=\"\"");
    }

    [Fact]
    public void Floats_round_trip_through_their_text()
    {
        var random = new Random(7);
        var p = PointData.Measurement("m");
        for (var i = 0; i < 10_000; i++)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (!double.IsFinite(value)) continue;
            var line = Line(p.Reset("m").Field("v", value));
            double.Parse(line["m v=".Length..], CultureInfo.InvariantCulture).Should().Be(value);
        }
    }

    [Fact]
    public void Tags_are_sorted_by_key_in_code_point_order_and_replaced_when_set_again()
    {
        var p = PointData.Measurement("m").Tag("z", "1").Tag("a", "2").Tag("m", "3").Tag("a", "4").Field("f", 1L);
        Line(p).Should().Be("m,a=4,m=3,z=1 f=1i");

        // U+E000 (UTF-8 EE 80 80) sorts before U+1F600 (F0 9F 98 80), although UTF-16 ordinal order says the opposite.
        var emoji = "\U0001F600";
        var p2 = PointData.Measurement("m").Tag(emoji, "x").Tag("\uE000", "y").Field("f", 1L);
        Line(p2).Should().Be($"m,\uE000=y,{emoji}=x f=1i");
        string.CompareOrdinal(emoji, "\uE000").Should().BeNegative("ordinal order differs, which is why a code-point comparer is needed");
    }

    [Fact]
    public void Fields_keep_insertion_order_and_are_replaced_when_set_again()
    {
        Line(PointData.Measurement("m").Field("b", 1L).Field("a", 2L).Field("b", 3L)).Should().Be("m b=3i,a=2i");
    }

    [Theory]
    [InlineData(1_700_000_000_123L, WritePrecision.Milliseconds, WritePrecision.Nanoseconds, "1700000000123000000")]
    [InlineData(1_700_000_000_123L, WritePrecision.Milliseconds, WritePrecision.Microseconds, "1700000000123000")]
    [InlineData(1_700_000_000_123L, WritePrecision.Milliseconds, WritePrecision.Milliseconds, "1700000000123")]
    [InlineData(1_700_000_000_123L, WritePrecision.Milliseconds, WritePrecision.Seconds, "1700000000")]
    [InlineData(1_700_000_000_123_456_789L, WritePrecision.Nanoseconds, WritePrecision.Microseconds, "1700000000123456")]
    [InlineData(-1L, WritePrecision.Nanoseconds, WritePrecision.Milliseconds, "-1")]
    [InlineData(-1_000_000L, WritePrecision.Nanoseconds, WritePrecision.Milliseconds, "-1")]
    [InlineData(5L, WritePrecision.Seconds, WritePrecision.Nanoseconds, "5000000000")]
    public void Timestamps_are_converted_to_the_requested_precision(long value, WritePrecision from, WritePrecision to, string expected)
    {
        Line(PointData.Measurement("m").Field("f", 1L).Timestamp(value, from), to).Should().Be("m f=1i " + expected);
    }

    [Fact]
    public void A_timestamp_that_overflows_the_precision_is_rejected()
    {
        var act = () => Line(PointData.Measurement("m").Field("f", 1L).Timestamp(long.MaxValue / 10, WritePrecision.Seconds), WritePrecision.Nanoseconds);
        act.Should().Throw<LineProtocolException>().WithMessage("*does not fit*");
    }

    [Fact]
    public void DateTimeOffset_timestamps_are_kept_to_100ns()
    {
        var t = new DateTimeOffset(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero).AddTicks(9);
        Line(PointData.Measurement("m").Field("f", 1L).Timestamp(t), WritePrecision.Nanoseconds)
            .Should().Be("m f=1i " + (t.ToUnixTimeMilliseconds() * 1_000_000 + 900));
    }

    [Fact]
    public void Golden_bytes_of_a_pv_telemetry_line()
    {
        var p = PointData.Measurement("pv_telemetry")
            .Tag("string", "s07").Tag("plant", "plant-01").Tag("inverter", "inv-03")
            .Field("v_dc", 612.25).Field("i_dc", 8.125).Field("p_dc", 4974.53)
            .Field("irradiance", 850.5).Field("t_module", 41.75).Field("t_ambient", 22.5)
            .Timestamp(1_700_000_000_123, WritePrecision.Milliseconds);
        var buffer = new ArrayBufferWriter<byte>();
        var n = LineProtocolEncoder.Write(buffer, p, WritePrecision.Milliseconds);
        var expected = "pv_telemetry,inverter=inv-03,plant=plant-01,string=s07 v_dc=612.25,i_dc=8.125,p_dc=4974.53,irradiance=850.5,t_module=41.75,t_ambient=22.5 1700000000123\n"u8;
        buffer.WrittenSpan.ToArray().Should().Equal(expected.ToArray());
        n.Should().Be(expected.Length);
        n.Should().BeLessThanOrEqualTo(LineProtocolEncoder.MaxLength(p));
    }

    [Fact]
    public void Non_ascii_text_is_written_as_utf8()
    {
        var buffer = new ArrayBufferWriter<byte>();
        LineProtocolEncoder.Write(buffer, PointData.Measurement("température").Tag("lieu", "Zürich Süd").Field("é", "ünïcödé ✓"), WritePrecision.Seconds);
        Encoding.UTF8.GetString(buffer.WrittenSpan).Should().Be("température,lieu=Zürich\\ Süd é=\"ünïcödé ✓\"\n");
    }

    [Fact]
    public void Max_length_bounds_the_output_even_when_every_character_is_escaped()
    {
        var nasty = string.Concat(Enumerable.Repeat(", =\"\\\\€", 20));
        var p = PointData.Measurement(nasty.Replace("\\\\", "")).Tag(nasty, nasty).Field(nasty, nasty).Field("x", -1.2345678901234567E-300)
            .Timestamp(long.MinValue, WritePrecision.Nanoseconds);
        var buffer = new ArrayBufferWriter<byte>();
        LineProtocolEncoder.Write(buffer, p, WritePrecision.Nanoseconds).Should().BeLessThanOrEqualTo(LineProtocolEncoder.MaxLength(p));
    }

    [Fact]
    public void Encoding_a_reused_point_into_a_reused_buffer_allocates_nothing()
    {
        var plants = new[] { "plant-01", "plant-02" };
        var p = PointData.Measurement("pv_telemetry");
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        void Run(int n)
        {
            for (var i = 0; i < n; i++)
            {
                p.Reset("pv_telemetry").Tag("plant", plants[i & 1]).Tag("inverter", "inv-01").Tag("string", "s01")
                    .Field("v_dc", 600.5 + i).Field("i_dc", 8.25).Field("p_dc", 4954.125).Field("irradiance", 800.0)
                    .Field("t_module", 40.5).Field("t_ambient", 21.0).Timestamp(1_700_000_000_000 + i, WritePrecision.Milliseconds);
                LineProtocolEncoder.Write(buffer, p, WritePrecision.Milliseconds);
                if (buffer.WrittenCount > 900_000) buffer.ResetWrittenCount();
            }
        }

        // Steady state: the runtime may allocate on this thread while it tiers the code up, so measure a few windows
        // and expect at least one (in practice all but the first) to allocate nothing.
        Run(1_000);
        var allocated = long.MaxValue;
        for (var attempt = 0; attempt < 5 && allocated != 0; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Run(20_000);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        allocated.Should().Be(0);
    }
}
