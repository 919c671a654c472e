using System.Buffers;
using System.Text;

namespace ErpFunctions.Spectrum;

/// <summary>
/// An answer's text in a buffer borrowed from the shared pool and given back on dispose: a 500-row answer is half a
/// megabyte, and a large job's dozens of them would otherwise each leave a string on the large object heap.
/// </summary>
internal sealed class SpectrumAnswerText : IDisposable
{
    private char[] buffer;
    private int length;

    private SpectrumAnswerText(int capacity) => buffer = ArrayPool<char>.Shared.Rent(capacity);

    public ReadOnlySpan<char> Span => buffer.AsSpan(0, length);

    /// <summary>
    /// The whole body, decoded in the character set the answer declares (UTF-8 when it names none, or one this runtime
    /// does not know); a connection lost inside it is a lost answer.
    /// </summary>
    public static async Task<SpectrumAnswerText> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        // Sized from what the answer announces, within reason: the buffer grows as the body arrives anyway.
        var text = new SpectrumAnswerText((int)Math.Clamp(content.Headers.ContentLength ?? 0, 4096, 1024 * 1024));
        var bytes = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var decoder = EncodingOf(content).GetDecoder();
            await using var body = await content.ReadAsStreamAsync(cancellationToken);
            int read;
            do
            {
                read = await body.ReadAsync(bytes, cancellationToken);
                text.Append(decoder, bytes.AsSpan(0, read), flush: read == 0);
            }
            while (read > 0);

            return text;
        }
        catch (Exception e)
        {
            text.Dispose();
            if (e is IOException lost)
            {
                throw new HttpRequestException($"Spectrum's answer was cut off: {lost.Message}", lost);
            }

            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static Encoding EncodingOf(HttpContent content)
    {
        try
        {
            return content.Headers.ContentType?.CharSet is { Length: > 0 } charset ? Encoding.GetEncoding(charset.Trim('"')) : Encoding.UTF8;
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }

    private void Append(Decoder decoder, ReadOnlySpan<byte> bytes, bool flush)
    {
        var needed = length + decoder.GetCharCount(bytes, flush);
        if (needed > buffer.Length)
        {
            var larger = ArrayPool<char>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
            buffer.AsSpan(0, length).CopyTo(larger);
            ArrayPool<char>.Shared.Return(buffer);
            buffer = larger;
        }

        length += decoder.GetChars(bytes, buffer.AsSpan(length), flush);
    }

    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(buffer);
        buffer = [];
        length = 0;
    }
}
