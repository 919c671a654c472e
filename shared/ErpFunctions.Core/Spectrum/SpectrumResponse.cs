namespace ErpFunctions.Spectrum;

/// <summary>The data rows of one Get call.</summary>
/// <param name="Rows">Rows with data, trimmed; blank rows and the row-cap trailer removed.</param>
/// <param name="RowCapReached">The server stopped at its row cap (<c>Error_Code = W</c>): more rows exist.</param>
/// <param name="EnvelopeComplete">False when the closing envelope tags were cut off after the last row.</param>
public sealed record SpectrumResponse(IReadOnlyList<SpectrumRow> Rows, bool RowCapReached, bool EnvelopeComplete);
