namespace ErpFunctions.Spectrum;

/// <summary>
/// A part of a job's cost types that one <c>GetPhaseEnhanced</c> call asks for through <c>pCost_Type</c>. Answers are
/// sorted by cost type (<c>pSort_By=C</c>), so an answer cut short by the row cap, or on the wire, holds every row of
/// each cost type before its last one; the rest of the slice is asked for by the slices <see cref="After"/> gives.
/// Each of them asks for less than the slice it comes from, so reading ends.
/// </summary>
public abstract record CostTypeSlice
{
    /// <summary>The length Data Exchange declares for <c>pCost_Type</c>.</summary>
    public const int DeclaredLength = 3;

    /// <summary>Above every character a cost type is made of, as the server compares them.</summary>
    private const char Highest = '~';

    public static CostTypeSlice All { get; } = new Everything();

    /// <summary>The SuperSelect text sent as <c>pCost_Type</c>.</summary>
    public abstract string Filter { get; }

    public bool FitsDeclaredLength => Filter.Length <= DeclaredLength;

    /// <summary>
    /// What is left to ask for when an answer to this slice holds every row of the cost types before
    /// <paramref name="last"/> and some of <paramref name="last"/>'s; null when no filter can ask for less.
    /// </summary>
    /// <param name="alone"><paramref name="last"/> is the only cost type the answer holds.</param>
    /// <param name="longFilters">Filters longer than <see cref="DeclaredLength"/> may be sent.</param>
    public IReadOnlyList<CostTypeSlice>? After(string last, bool alone, bool longFilters) => this switch
    {
        Exactly => null,
        _ when !longFilters => AfterWithinDeclaredLength(last),
        _ when alone && StartsAt(last) => [new Exactly(last), new From(last + "!")],
        _ => [new From(last)],
    };

    /// <summary>This slice's first cost type is <paramref name="type"/>, so an answer of it alone did not move on.</summary>
    protected virtual bool StartsAt(string type) => true;

    protected abstract IReadOnlyList<CostTypeSlice>? AfterWithinDeclaredLength(string last);

    /// <summary>Slices for the cost types starting with the character of <paramref name="last"/>, and for those after it.</summary>
    private static IReadOnlyList<CostTypeSlice> ByFirstCharacter(string last)
    {
        var first = last[0];
        return first < Highest ? [new StartingWith(first.ToString()), new From(((char)(first + 1)).ToString())] : [new StartingWith(first.ToString())];
    }

    private sealed record Everything : CostTypeSlice
    {
        public override string Filter => "";

        protected override IReadOnlyList<CostTypeSlice> AfterWithinDeclaredLength(string last) => ByFirstCharacter(last);
    }

    /// <summary>One cost type: the smallest slice there is.</summary>
    public sealed record Exactly(string Type) : CostTypeSlice
    {
        public override string Filter => Type;

        protected override IReadOnlyList<CostTypeSlice>? AfterWithinDeclaredLength(string last) => null;
    }

    /// <summary>Every cost type from <paramref name="Type"/> on.</summary>
    public sealed record From(string Type) : CostTypeSlice
    {
        public override string Filter => Type.Length == 1 ? $"{Type}/{Highest}" : $"{Type}/{new string(Highest, DeclaredLength)}";

        protected override bool StartsAt(string type) => string.Equals(type, Type, StringComparison.OrdinalIgnoreCase);

        protected override IReadOnlyList<CostTypeSlice>? AfterWithinDeclaredLength(string last) => ByFirstCharacter(last);
    }

    /// <summary>Every cost type that starts with <paramref name="Prefix"/> (one character).</summary>
    public sealed record StartingWith(string Prefix) : CostTypeSlice
    {
        public override string Filter => Prefix + "*";

        /// <summary>By length: the cost type that is the prefix itself, those of two characters, those of three.</summary>
        protected override IReadOnlyList<CostTypeSlice> AfterWithinDeclaredLength(string last) =>
            [new Exactly(Prefix), new OfLength(Prefix, 2), new OfLength(Prefix, 3)];
    }

    /// <summary>Every cost type of <paramref name="Length"/> characters that starts with <paramref name="Prefix"/>.</summary>
    public sealed record OfLength(string Prefix, int Length) : CostTypeSlice
    {
        public override string Filter => Prefix + new string('?', Length - Prefix.Length);

        protected override IReadOnlyList<CostTypeSlice>? AfterWithinDeclaredLength(string last) => null;
    }
}
