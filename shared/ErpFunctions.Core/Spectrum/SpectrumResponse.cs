namespace ErpFunctions.Spectrum;

/// <summary>How much of a Get answer arrived.</summary>
public enum Completeness
{
    /// <summary>The row list's wrapper element (<c>&lt;/getPhaseEnhanced&gt;</c> and the like) closes after the last row.</summary>
    Complete,

    /// <summary>The answer ends after a closed row, without the wrapper's close: rows may have been lost after it.</summary>
    CutAfterRow,

    /// <summary>The answer ends inside a row; that row was dropped, the rows before it are intact.</summary>
    CutInsideRow,
}

/// <summary>The data rows of one Get call.</summary>
/// <param name="Rows">Rows with data, trimmed; blank rows and the row-cap trailer removed.</param>
/// <param name="RowCapReached">The server stopped at its row cap (<c>Error_Code = W</c>): more rows exist.</param>
public sealed record SpectrumResponse(IReadOnlyList<SpectrumRow> Rows, bool RowCapReached, Completeness Completeness)
{
    /// <summary>Every row there is: the wrapper closed and no row cap was reached.</summary>
    public bool IsWhole => Completeness == Completeness.Complete && !RowCapReached;
}
