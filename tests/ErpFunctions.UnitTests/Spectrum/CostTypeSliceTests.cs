using ErpFunctions.Spectrum;

namespace ErpFunctions.UnitTests.Spectrum;

/// <summary>What is left to ask for after an answer that holds every row of the cost types before its last one.</summary>
public class CostTypeSliceTests
{
    private static readonly CostTypeSlice All = CostTypeSlice.All;

    public static TheoryData<string, CostTypeSlice, string, bool, bool, string[]?> Cases => new()
    {
        // case,                                  slice,                                   last,  alone, long,  next filters
        { "long: on from the last cost type",      All,                                     "C13", false, true,  ["C13/~~~"] },
        { "long: one cost type fills the answer",  All,                                     "L",   true,  true,  ["L", "L!/~~~"] },
        { "long: a range that moved on",           new CostTypeSlice.From("C13"),           "C25", false, true,  ["C25/~~~"] },
        { "long: a range that did not move on",    new CostTypeSlice.From("C13"),           "C13", true,  true,  ["C13", "C13!/~~~"] },
        { "short: by first character",             All,                                     "S",   false, false, ["S*", "T/~"] },
        { "short: a range by first character",     new CostTypeSlice.From("M"),             "O",   false, false, ["O*", "P/~"] },
        { "short: a character group by length",    new CostTypeSlice.StartingWith("C"),     "C13", false, false, ["C", "C?", "C??"] },
        { "short: no narrower filter by length",   new CostTypeSlice.OfLength("C", 3),      "C13", false, false, null },
        { "one cost type is as small as it gets",  new CostTypeSlice.Exactly("L"),          "L",   true,  true,  null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Asks_next_for_what_the_answer_did_not_finish(string @case, CostTypeSlice slice, string last, bool alone, bool longFilters,
        string[]? expected)
    {
        var next = slice.After(last, alone, longFilters);

        if (expected is null)
        {
            next.Should().BeNull(@case);
        }
        else
        {
            next.Should().NotBeNull(@case);
            next!.Select(s => s.Filter).Should().Equal(expected, @case);
        }
    }

    [Fact]
    public void Sends_within_the_declared_length_whenever_long_filters_are_off()
    {
        var slices = new CostTypeSlice[] { All, new CostTypeSlice.From("M"), new CostTypeSlice.StartingWith("S") };

        slices.SelectMany(s => s.After("SUB", alone: false, longFilters: false) ?? []).Should().OnlyContain(s => s.FitsDeclaredLength);
    }
}
