using ErpFunctions.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ErpFunctions.Procore;

public sealed partial class ProcoreConnection
{
    /// <summary>
    /// Every page of a list, never fewer items than the list holds:
    /// <list type="bullet">
    /// <item>with <c>Total</c>, the pages it implies are read in parallel (<c>PageConcurrency</c> at a time), then the
    /// pages after them while the list is still short; a list that still ends short of <c>Total</c> is read again from
    /// the start, and after <c>MaxAttempts</c> reads it fails (<see cref="ProcoreListIncompleteException"/>);</item>
    /// <item>with <c>Link</c> alone, page after page while an answer names a next page;</item>
    /// <item>with neither, page after page until a page is empty or holds fewer items than the largest page so far: a
    /// server may answer fewer items a page than <c>per_page</c> asks, so the size asked for is not the measure.</item>
    /// </list>
    /// A list that ignores <c>page</c> and answers the same page again ends there; one whose pages differ but never end
    /// fails after <see cref="MaxPages"/> pages. Each page is deserialized as it arrives.
    /// </summary>
    public async Task<List<T>> ListAllAsync<T>(CallContext calls, string path, IEnumerable<KeyValuePair<string, string>> query,
        CancellationToken cancellationToken)
    {
        var parameters = query.Append(new("per_page", options.Value.PageSize.ToString())).ToList();
        ProcoreCall Page(int page) => new(calls, HttpMethod.Get, WithQuery(path, parameters.Append(new("page", page.ToString()))));
        Task<ProcoreAnswer<List<T>>> ReadPageAsync(int page, CancellationToken token) =>
            SendAsync(Page(page), Reader<List<T>>(Page(page)), token);

        for (var attempt = 1; ; attempt++)
        {
            var first = await ReadPageAsync(1, cancellationToken);
            if (first.Total is not { } total)
            {
                return await ReadOnAsync(Page(1).Operation, first, first.NextPage is not null || first.HasLinkHeader, ReadPageAsync, cancellationToken);
            }

            var items = await ReadCountedAsync(first, total, ReadPageAsync, cancellationToken);
            if (items.Count >= total)
            {
                return items;
            }

            LogListShort(Page(1).Operation, items.Count, total, attempt);
            if (attempt >= options.Value.MaxAttempts)
            {
                throw new ProcoreListIncompleteException(Page(1).Operation, items.Count, total, attempt);
            }
        }
    }

    /// <summary>A list that says how many items it holds: the pages that number implies, then any after them while it is short.</summary>
    private async Task<List<T>> ReadCountedAsync<T>(ProcoreAnswer<List<T>> first, int total,
        Func<int, CancellationToken, Task<ProcoreAnswer<List<T>>>> readPage, CancellationToken cancellationToken)
    {
        var items = new List<T>(first.Value);
        if (items.Count == 0 || items.Count >= total)
        {
            return items;
        }

        var pages = (int)Math.Ceiling(total / (double)items.Count);
        var read = new ProcoreAnswer<List<T>>[pages + 1];
        await Parallel.ForEachAsync(Enumerable.Range(2, pages - 1),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.PageConcurrency, CancellationToken = cancellationToken },
            async (page, token) => read[page] = await readPage(page, token));
        // Pages are taken in order until one is empty or the same as the one before; past the pages Total implies, more
        // are asked for while the list is still short.
        var last = first;
        bool Take(ProcoreAnswer<List<T>> answer)
        {
            if (answer.Value.Count == 0 || IsRepeat(answer, last))
            {
                return false;
            }

            items.AddRange(answer.Value);
            last = answer;
            return true;
        }

        if (read.Skip(2).All(Take))
        {
            for (var page = pages + 1; items.Count < total && Take(await readPage(page, cancellationToken)); page++)
            {
            }
        }

        return items;
    }

    /// <summary>A list without <c>Total</c>: followed by its <c>Link</c> headers, or where it sends none, by the size of its pages.</summary>
    private static async Task<List<T>> ReadOnAsync<T>(string operation, ProcoreAnswer<List<T>> first, bool linked,
        Func<int, CancellationToken, Task<ProcoreAnswer<List<T>>>> readPage, CancellationToken cancellationToken)
    {
        var items = new List<T>(first.Value);
        var largest = first.Value.Count;
        bool HasMore(ProcoreAnswer<List<T>> answer) =>
            answer.Value.Count > 0 && (linked ? answer.NextPage is not null : answer.Value.Count >= largest);

        var last = first;
        for (var page = 2; HasMore(last); page++)
        {
            if (page > MaxPages)
            {
                throw new ProcoreListEndlessException(operation, MaxPages, items.Count);
            }

            var answer = await readPage(page, cancellationToken);
            if (IsRepeat(answer, last))
            {
                break;
            }

            items.AddRange(answer.Value);
            largest = Math.Max(largest, answer.Value.Count);
            last = answer;
        }

        return items;
    }

    /// <summary>More pages than any list the product reads can have: a list that goes on past them never ends.</summary>
    private const int MaxPages = 1000;

    private static bool IsRepeat<T>(ProcoreAnswer<T> answer, ProcoreAnswer<T> previous) =>
        answer.Fingerprint.AsSpan().SequenceEqual(previous.Fingerprint);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Operation} said it holds {Total} items but its pages held {Count} (read {Attempt}); reading it again")]
    private partial void LogListShort(string operation, int count, int total, int attempt);
}
