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

    /// <summary>Below every character a cost type is made of: <c>X!</c> is the first filter bound after cost type <c>X</c>.</summary>
    private const char Lowest = '!';

    /// <summary>The row cap of one answer: the most a planned slice is meant to hold.</summary>
    public const int RowCap = 500;

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
    public virtual IReadOnlyList<CostTypeSlice>? After(string last, bool alone, bool longFilters) => this switch
    {
        Exactly => null,
        _ when !longFilters => AfterWithinDeclaredLength(last),
        _ when alone && StartsAt(last) => [new Exactly(last), new From(last + "!")],
        _ => [new From(last)],
    };

    /// <summary>
    /// Slices that ask for every cost type from <paramref name="from"/> on, in as few answers as the expected rows allow,
    /// all at once: consecutive cost types (in the server's order) are grouped while their rows stay within the row cap,
    /// and the groups become ranges that leave no gap between them, so a cost type nobody expected is still read. Only
    /// for servers that take filters longer than <see cref="DeclaredLength"/>.
    /// </summary>
    /// <param name="maxSlices">At most this many slices: the last one then asks for everything after the ones before it.</param>
    public static IReadOnlyList<CostTypeSlice> Planned(string from, IEnumerable<(string Type, int Rows)> expected, int maxSlices = int.MaxValue)
    {
        var groups = new List<List<(string Type, int Rows)>>();
        foreach (var type in expected.Where(t => Usable(t.Type) && string.CompareOrdinal(t.Type, from) >= 0)
                     .DistinctBy(t => t.Type.ToUpperInvariant()).OrderBy(t => t.Type, StringComparer.Ordinal))
        {
            if (groups.Count == 0 || groups[^1].Sum(t => t.Rows) + type.Rows > RowCap)
            {
                groups.Add([]);
            }

            groups[^1].Add(type);
        }

        var slices = new List<CostTypeSlice>();
        var start = from;
        foreach (var group in groups.Take(Math.Min(groups.Count, maxSlices) - 1))
        {
            slices.Add(new Between(start, group[^1].Type));
            start = group[^1].Type + Lowest;
        }

        slices.Add(new Between(start, new string(Highest, DeclaredLength)));
        return slices;
    }

    /// <summary>The first cost type of a slice that asks for every cost type from there on; null for any other slice.</summary>
    public string? OpenFrom => this switch
    {
        From from => from.Type,
        Between between when between.Last == new string(Highest, DeclaredLength) => between.First,
        _ => null,
    };

    /// <summary>A cost type that can stand in a filter: no SuperSelect character of its own.</summary>
    public static bool Usable(string type) => type.Length is > 0 and <= DeclaredLength && !type.Any(c => c is ',' or '/' or '#' or '*' or '?' or ';' or '=' or < Lowest or > Highest);

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

    /// <summary>Every cost type from <paramref name="First"/> to <paramref name="Last"/>, both included.</summary>
    public sealed record Between(string First, string Last) : CostTypeSlice
    {
        public override string Filter => $"{First}/{Last}";

        public override IReadOnlyList<CostTypeSlice>? After(string last, bool alone, bool longFilters) =>
            alone && string.Equals(last, First, StringComparison.OrdinalIgnoreCase)
                ? [new Exactly(last), new Between(last + Lowest, Last)]
                : [new Between(last, Last)];

        protected override IReadOnlyList<CostTypeSlice>? AfterWithinDeclaredLength(string last) => null;
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
