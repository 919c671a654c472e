namespace ErpFunctions.Simulators.Procore;

/// <summary>
/// Procore-specific behaviour switched per test, beside the common <see cref="FaultPlan"/>. Where Procore's real
/// behaviour is not documented, the switch says which way the simulator answers; the product must cope with both.
/// </summary>
public sealed class ProcoreQuirks
{
    private readonly Lock gate = new();
    private Action<ProcoreState>? beforeNextBudgetSync;
    private int wholeSyncRefusalsLeft;
    private int shortPagesLeft;

    /// <summary><c>Retry-After</c> seconds sent with injected 503s.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Budget codes (flat code) whose lines the budget sync refuses, with the message it gives.</summary>
    public Dictionary<string, string> RefusedBudgetCodes { get; } = [];

    /// <summary>
    /// A sync that holds a refused line is answered <c>422</c> as a whole, with the first refusal's message, and changes
    /// nothing (Procore documents 422 for the call; whether it refuses per item or per call is not documented).
    /// </summary>
    public bool RefuseWholeSync { get; set; }

    /// <summary>Per-item errors of the budget sync carry neither the item's <c>id</c> nor its <c>wbs_code_id</c>.</summary>
    public bool UnnamedItemErrors { get; set; }

    /// <summary>
    /// A create for a budget code that already has a line makes a second line, instead of being refused with
    /// <c>This Budget Code already exists</c> (the API's behaviour is not documented).
    /// </summary>
    public bool AcceptDuplicateCreates { get; set; }

    /// <summary>Lists answer without <c>Total</c>, <c>Per-Page</c> and <c>Link</c>.</summary>
    public bool OmitPagingHeaders { get; set; }

    /// <summary>
    /// The most items a list answers a page, whatever <c>per_page</c> asks (below the seed's <c>maxPerPage</c>): with
    /// <see cref="OmitPagingHeaders"/>, a page that looks short of what was asked although more follow.
    /// </summary>
    public int? MaxPerPage { get; set; }

    /// <summary>
    /// The next <paramref name="count"/> list pages that hold items answer one item fewer than they should, with
    /// <c>Total</c> unchanged: a list read while an item moved between its pages.
    /// </summary>
    public void ShortPagesNext(int count)
    {
        lock (gate)
        {
            shortPagesLeft = count;
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> budget syncs are refused as a whole (<c>422</c>, nothing changed), whatever they
    /// hold; the ones after are served as usual: a refusal Procore does not repeat.
    /// </summary>
    public void RefuseNextSyncsWhole(int count)
    {
        lock (gate)
        {
            wholeSyncRefusalsLeft = count;
        }
    }

    /// <summary>Changes the state just before the next budget sync is served: someone else's edit, made a moment earlier.</summary>
    public void BeforeNextBudgetSync(Action<ProcoreState> change)
    {
        lock (gate)
        {
            beforeNextBudgetSync = change;
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            RetryAfterSeconds = 1;
            RefusedBudgetCodes.Clear();
            RefuseWholeSync = false;
            UnnamedItemErrors = false;
            AcceptDuplicateCreates = false;
            OmitPagingHeaders = false;
            MaxPerPage = null;
            wholeSyncRefusalsLeft = 0;
            shortPagesLeft = 0;
            beforeNextBudgetSync = null;
        }
    }

    internal bool TakeWholeSyncRefusal() => Take(ref wholeSyncRefusalsLeft);

    internal bool TakeShortPage() => Take(ref shortPagesLeft);

    private bool Take(ref int left)
    {
        lock (gate)
        {
            if (left <= 0)
            {
                return false;
            }

            left--;
            return true;
        }
    }

    internal Action<ProcoreState>? TakeBeforeBudgetSync()
    {
        lock (gate)
        {
            var change = beforeNextBudgetSync;
            beforeNextBudgetSync = null;
            return change;
        }
    }
}
