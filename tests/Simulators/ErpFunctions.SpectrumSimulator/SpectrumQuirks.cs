namespace ErpFunctions.Simulators.Spectrum;

public enum TruncationMode
{
    /// <summary>Cut at the wrapper: every row arrives whole, the closing tags do not (the tail cut seen on live servers).</summary>
    AtWrapper,

    /// <summary>
    /// Cut between rows, as a connection lost mid-answer would: some rows arrive (a half, then a third, in turn), and
    /// with them neither the row-cap trailer nor the closing tags.
    /// </summary>
    BetweenRows,

    /// <summary>Cut inside the last row.</summary>
    InsideRow,
}

/// <summary>Spectrum-specific behaviour switched per test, beside the common <see cref="FaultPlan"/>.</summary>
public sealed class SpectrumQuirks
{
    private readonly Lock gate = new();
    private int truncateNext;
    private int cuts;
    private Func<IReadOnlyDictionary<string, string>, bool>? truncateWhen;
    private int clientFaultsNext;

    public TruncationMode TruncationMode { get; set; } = TruncationMode.AtWrapper;

    /// <summary>Pad text values with trailing spaces to their column width, and numbers with leading spaces.</summary>
    public bool PadValues { get; set; }

    /// <summary>Overrides the seed's estimate element name when set.</summary>
    public string? EstimateElementName { get; set; }

    /// <summary>
    /// Refuse, with a <c>SOAP-ENV:Client</c> fault, a parameter longer than its declared length (<c>pCost_Type</c>: 3).
    /// On by default: whether a live server takes longer SuperSelect values is not documented, so the stricter answer is
    /// the one simulated.
    /// </summary>
    public bool EnforceDeclaredLengths { get; set; } = true;

    /// <summary>
    /// Cuts the next <paramref name="count"/> answers, or, with <paramref name="when"/>, the next ones to calls whose
    /// parameters it accepts.
    /// </summary>
    public void TruncateNext(int count, TruncationMode mode = TruncationMode.AtWrapper,
        Func<IReadOnlyDictionary<string, string>, bool>? when = null)
    {
        if (FaultSwitches.IsDisarmed("truncate"))
        {
            return;
        }

        lock (gate)
        {
            truncateNext = count;
            truncateWhen = when;
            TruncationMode = mode;
        }
    }

    /// <summary>The next <paramref name="count"/> calls answer a <c>SOAP-ENV:Client</c> fault.</summary>
    public void ClientFaultNext(int count)
    {
        lock (gate)
        {
            clientFaultsNext = count;
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            truncateNext = 0;
            truncateWhen = null;
            cuts = 0;
            clientFaultsNext = 0;
            TruncationMode = TruncationMode.AtWrapper;
            PadValues = false;
            EstimateElementName = null;
            EnforceDeclaredLengths = true;
        }
    }

    /// <summary>Whether to cut this answer, and how many answers were cut before it.</summary>
    internal int? TakeTruncation(IReadOnlyDictionary<string, string> arguments)
    {
        lock (gate)
        {
            if (truncateNext <= 0 || truncateWhen?.Invoke(arguments) == false)
            {
                return null;
            }

            truncateNext--;
            return cuts++;
        }
    }

    internal bool TakeClientFault()
    {
        lock (gate)
        {
            if (clientFaultsNext <= 0)
            {
                return false;
            }

            clientFaultsNext--;
            return true;
        }
    }
}
