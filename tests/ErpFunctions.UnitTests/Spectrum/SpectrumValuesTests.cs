using System.Globalization;
using ErpFunctions.Spectrum;

namespace ErpFunctions.UnitTests.Spectrum;

public class SpectrumValuesTests
{
    [Theory]
    [InlineData(".00", "0")]
    [InlineData("", "0")]
    [InlineData("   ", "0")]
    [InlineData("859.51", "859.51")]
    [InlineData(".50", "0.50")]
    [InlineData("-12.50", "-12.50")]
    [InlineData("-.01", "-0.01")]
    [InlineData("12.50-", "-12.50")]
    [InlineData("   8826.58", "8826.58")]
    [InlineData("9999999999.99", "9999999999.99")]
    public void Parses_amounts_as_decimals(string text, string expected) =>
        SpectrumValues.ParseDecimal(text, "JTD_Actual_Dollars")
            .Should().Be(decimal.Parse(expected, CultureInfo.InvariantCulture));

    [Fact]
    public void Parses_amounts_the_same_whatever_the_current_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            SpectrumValues.ParseDecimal("1234.56", "x").Should().Be(1234.56m);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    public void Refuses_text_that_is_not_an_amount_naming_the_column(string text)
    {
        var parse = () => SpectrumValues.ParseDecimal(text, "Current_Estimate_Dollars");

        parse.Should().Throw<SpectrumFormatException>().Which.Column.Should().Be("Current_Estimate_Dollars");
    }

    [Theory]
    [InlineData("01/14/2025", 2025, 1, 14)]
    [InlineData("1/5/2010", 2010, 1, 5)]
    [InlineData(" 12/31/1999 ", 1999, 12, 31)]
    public void Parses_month_day_year_dates(string text, int year, int month, int day) =>
        SpectrumValues.ParseDate(text, "Start_Date").Should().Be(new DateOnly(year, month, day));

    [Fact]
    public void Reads_an_empty_date_as_none() => SpectrumValues.ParseDate(" ", "Start_Date").Should().BeNull();

    [Theory]
    [InlineData("2025-01-14")]
    [InlineData("14/01/2025")]
    public void Refuses_dates_in_other_forms(string text)
    {
        var parse = () => SpectrumValues.ParseDate(text, "Start_Date");

        parse.Should().Throw<SpectrumFormatException>();
    }
}
