using PvMonitor.Domain.Conditions;

namespace PvMonitor.Domain.Tests.Conditions;

public class ConditionCatalogTests
{
    [Fact]
    public void Paper_catalog_has_table_II_in_order_with_shares_summing_to_one()
    {
        ConditionCatalog.Paper.Select(c => c.Code).Should().Equal("PS7", "RS4", "PS50", "RS8", "PSRS", "PS75", "C", "S", "N", "IV");
        ConditionCatalog.Paper.Sum(c => c.PaperShare).Should().BeApproximately(1.0, 0.001);
    }

    [Fact]
    public void Added_condition_is_found_and_duplicates_are_rejected()
    {
        var catalog = new ConditionCatalog([new ConditionDefinition("SOIL", "Soiling", ConditionKind.Fault)]);
        catalog.TryGet("SOIL", out var soil).Should().BeTrue();
        soil.IsFault.Should().BeTrue();
        var act = () => catalog.Add(new ConditionDefinition("PS7", "again", ConditionKind.Fault));
        act.Should().Throw<ArgumentException>().WithMessage("*PS7*already defined*");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("x/y")]
    public void Invalid_codes_are_rejected(string code)
    {
        ConditionCatalog.IsValidCode(code).Should().BeFalse();
        var act = () => new ConditionCatalog([new ConditionDefinition(code, "bad", ConditionKind.Fault)]);
        act.Should().Throw<ArgumentException>().WithMessage("*invalid*");
    }
}
