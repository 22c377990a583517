using PvMonitor.Learning.Data;

namespace PvMonitor.Learning.Tests.Data;

public class CsvTableReaderTests
{
    private const string Csv = """
        time,plant,string,I,V,G,TExt,TMod,W,label
        2026-02-01T10:00:00Z,p,s1,5.5,240.1,800,2.5,20.1,3.2,N
        2026-02-01T10:01:00Z,p,s1,5.4,239.8,790,2.5,20.0,3.0,

        2026-02-01T10:02:00Z,p,s1,1.2,200,150,-1.5,0.5,1.0,S
        """;

    [Fact]
    public void Reads_selected_columns_in_requested_order_and_empty_labels_as_unlabeled()
    {
        var table = CsvTableReader.Read(new StringReader(Csv), ["V", "I"], "label");
        table.Rows.Should().Be(3);
        table.FeatureNames.Should().Equal("V", "I");
        table.Row(0).ToArray().Should().Equal(240.1f, 5.5f);
        table.Row(2).ToArray().Should().Equal(200f, 1.2f);
        table.Labels.Should().Equal("N", null, "S");
        table.DistinctLabels().Should().Equal("N", "S");
    }

    [Fact]
    public void Missing_column_is_named()
    {
        var act = () => CsvTableReader.Read(new StringReader(Csv), ["I", "Irr"], "label");
        act.Should().Throw<DataFormatException>().WithMessage("*'Irr'*");
    }

    [Fact]
    public void Bad_number_names_line_and_column()
    {
        var csv = "I,V,label\n1,2,N\n1,abc,N\n";
        var act = () => CsvTableReader.Read(new StringReader(csv), ["I", "V"], "label");
        act.Should().Throw<DataFormatException>().WithMessage("Line 3, column 'V': 'abc'*");
    }

    [Fact]
    public void NaN_is_rejected()
    {
        var act = () => CsvTableReader.Read(new StringReader("I,V\n1,NaN\n"), ["I", "V"], null);
        act.Should().Throw<DataFormatException>().WithMessage("*'V'*not a finite number*");
    }

    [Fact]
    public void Missing_label_column_is_an_error_unless_optional()
    {
        var act = () => CsvTableReader.Read(new StringReader("I,V\n1,2\n"), ["I", "V"], "label");
        act.Should().Throw<DataFormatException>().WithMessage("*'label'*");
        CsvTableReader.Read(new StringReader("I,V\n1,2\n"), ["I", "V"], "label", labelOptional: true).Labels.Should().Equal([null]);
    }

    [Fact]
    public void Short_row_is_rejected_with_its_line()
    {
        var act = () => CsvTableReader.Read(new StringReader("I,V,label\n1,2,N\n3\n"), ["I", "V"], "label");
        act.Should().Throw<DataFormatException>().WithMessage("Line 3:*");
    }

    [Fact]
    public void Feature_sets_resolve_names_and_reject_duplicates()
    {
        FeatureSets.Parse("complex").Should().Equal("I", "V", "G", "TExt", "TMod", "W");
        FeatureSets.Parse("simple").Should().Equal("I", "V");
        FeatureSets.Parse(" G , I ").Should().Equal("G", "I");
        var act = () => FeatureSets.Parse("I,I");
        act.Should().Throw<ArgumentException>().WithMessage("*'I' twice*");
    }
}
