namespace ErpFunctions.Simulators.Spectrum;

public enum TruncationMode
{
    /// <summary>The closing envelope tags are cut after the last row (as observed on live servers).</summary>
    AfterLastRow,

    /// <summary>The response is cut inside its last row.</summary>
    InsideRow,
}

/// <summary>Spectrum-specific behaviour switched per test, beside the common <see cref="FaultPlan"/>.</summary>
public sealed class SpectrumQuirks
{
    private readonly Lock gate = new();
    private int truncateNext;
    private int clientFaultsNext;

    public TruncationMode TruncationMode { get; set; } = TruncationMode.AfterLastRow;

    /// <summary>Pad text values with trailing spaces to their column width, and numbers with leading spaces.</summary>
    public bool PadValues { get; set; }

    /// <summary>Overrides the seed's estimate element name when set.</summary>
    public string? EstimateElementName { get; set; }

    public void TruncateNext(int count, TruncationMode mode = TruncationMode.AfterLastRow)
    {
        lock (gate)
        {
            truncateNext = count;
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
            clientFaultsNext = 0;
            TruncationMode = TruncationMode.AfterLastRow;
            PadValues = false;
            EstimateElementName = null;
        }
    }

    internal bool TakeTruncation() => Take(ref truncateNext);

    internal bool TakeClientFault() => Take(ref clientFaultsNext);

    private bool Take(ref int counter)
    {
        lock (gate)
        {
            if (counter <= 0)
            {
                return false;
            }

            counter--;
            return true;
        }
    }
}
