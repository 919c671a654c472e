using System.Net.Sockets;
using ErpFunctions.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace ErpFunctions.Procore;

/// <summary>One budget line to write, by its index in the plan and its budget code (cost code id, cost type id).</summary>
internal sealed record LineItem(int Index, (long CostCode, long CostType) Key, BudgetLineWrite Write)
{
    public bool IsCreate => Write.Id is null;
}

/// <summary>
/// Sends budget lines through the sync endpoint, one chunk at a time, so that none is written twice and none refused
/// without its reason:
/// <list type="bullet">
/// <item>a chunk that holds a create is never sent again blind after an answer was lost (timeout, 5xx, dropped
/// connection): the budget is read and the chunk planned again, creates for budget codes that now have a line turning
/// into updates by id, or nothing;</item>
/// <item>a chunk Procore refuses as a whole (<c>422</c>) is halved until the refused lines are isolated: every half
/// that Procore takes is written, and a line is called refused only when Procore refused a call that held that line
/// alone. Where a refused chunk's first half is taken, its second half is taken to hold the refusal and is split
/// without being sent whole; but the halves of a half that was only inferred are each sent, so a refusal Procore does
/// not repeat costs at most four calls and blames nothing.</item>
/// </list>
/// The outcome of each line is decided later, by reading the budget back; this records why lines were refused.
/// </summary>
internal sealed partial class ProcoreLineSync(
    IProcoreBudget budget,
    ProcoreBudgetReader reader,
    IOptions<ProcoreOptions> options,
    ILogger<ProcoreLineSync> logger)
{
    /// <summary>
    /// Enough calls to isolate a handful of refused lines among a thousand; beyond it the lines not yet isolated are
    /// reported as not written, never as refused.
    /// </summary>
    private const int MaxIsolationCalls = 60;

    /// <param name="beforeEachWrite">Called before every sync call; it throws to stop the writing there.</param>
    /// <returns>Procore's reason for each refused line, by plan index.</returns>
    public async Task<IReadOnlyDictionary<int, string>> SendAsync(CallContext calls, long projectId, long budgetViewId, IReadOnlyList<LineItem> items,
        Func<CancellationToken, Task> beforeEachWrite, CancellationToken cancellationToken)
    {
        var refusals = new Dictionary<int, string>();
        var session = new Session(calls, projectId, beforeEachWrite);
        foreach (var chunk in items.Chunk(options.Value.SyncBatchSize))
        {
            var pending = chunk;
            for (var attempt = 1; pending.Length > 0; attempt++)
            {
                try
                {
                    var isolation = new IsolationBudget(MaxIsolationCalls);
                    if (await TrySendAsync(session, pending, refusals, isolation, cancellationToken) is { } refusal)
                    {
                        await IsolateAsync(session, pending, refusal, refusals, isolation, cancellationToken);
                    }

                    break;
                }
                catch (Exception e) when (IsAmbiguous(e) && pending.Any(i => i.IsCreate) && attempt < options.Value.MaxAttempts)
                {
                    LogAmbiguous(pending.Length, e.Message);
                    pending = await ReplanAsync(session, budgetViewId, pending, cancellationToken);
                }
            }
        }

        return refusals;
    }

    /// <summary>
    /// Sends one chunk; answers Procore's message when it refused the chunk as a whole, else null. Lines refused by an
    /// error that names no line are each sent again alone (within the isolation calls), so that Procore's answer to a
    /// call holding only that line says whether it is refused.
    /// </summary>
    private async Task<string?> TrySendAsync(Session session, LineItem[] chunk, Dictionary<int, string> refusals, IsolationBudget calls,
        CancellationToken cancellationToken)
    {
        await session.BeforeEachWrite(cancellationToken);
        SyncResult<ProcoreBudgetLineItem> result;
        try
        {
            result = await budget.SyncBudgetLineItemsAsync(session.Calls, session.ProjectId, [.. chunk.Select(i => i.Write)], cancellationToken);
        }
        catch (ProcoreApiException refused) when (refused.StatusCode == 422 && refused is not ProcoreBudgetLockedException)
        {
            return refused.ProcoreMessage;
        }

        var unnamed = new List<string>();
        foreach (var error in result.Errors.Where(e => !e.IsBudgetCodeAlreadyUsed))
        {
            var item = chunk.Length == 1
                ? chunk[0]
                : chunk.FirstOrDefault(i => (i.Write.Id is { } id && error.Id == id) || (i.IsCreate && error.WbsCodeId == i.Write.WbsCodeId));
            if (item is null)
            {
                unnamed.Add(error.Message);
            }
            else
            {
                refusals[item.Index] = error.Message;
            }
        }

        if (unnamed.Count > 0)
        {
            // Procore refused lines without saying which: each line it did not answer with an entity is asked about alone.
            var answered = result.Entities.Select(e => e.WbsCodeId).ToHashSet();
            var message = $"Procore refused {unnamed.Count} line(s) of a batch without naming them: {string.Join("; ", unnamed)}";
            foreach (var item in chunk.Where(i => !answered.Contains(i.Write.WbsCodeId) && !refusals.ContainsKey(i.Index)))
            {
                await SendAndIsolateAsync(session, [item], message, refusals, calls, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>Isolates the refused lines of <paramref name="refused"/>, which Procore refused as a whole.</summary>
    private async Task IsolateAsync(Session session, LineItem[] refused, string message, Dictionary<int, string> refusals,
        IsolationBudget calls, CancellationToken cancellationToken)
    {
        if (refused.Length == 1)
        {
            refusals[refused[0].Index] = message;
            return;
        }

        var (first, second) = Halves(refused);
        if (await SendOrGiveUpAsync(session, first, message, refusals, calls, cancellationToken) is { } firstRefusal)
        {
            await IsolateAsync(session, first, firstRefusal, refusals, calls, cancellationToken);
            await SendAndIsolateAsync(session, second, message, refusals, calls, cancellationToken);
            return;
        }

        if (second.Length == 1)
        {
            await SendAndIsolateAsync(session, second, message, refusals, calls, cancellationToken);
            return;
        }

        // The whole was refused and its first half taken: the refusal is likely in the second half, which is split at
        // once. It was not seen refused, so each of its halves is sent.
        var (third, fourth) = Halves(second);
        await SendAndIsolateAsync(session, third, message, refusals, calls, cancellationToken);
        await SendAndIsolateAsync(session, fourth, message, refusals, calls, cancellationToken);
    }

    /// <summary>Sends <paramref name="items"/>; where Procore refuses them as a whole, isolates the refused lines among them.</summary>
    private async Task SendAndIsolateAsync(Session session, LineItem[] items, string message, Dictionary<int, string> refusals,
        IsolationBudget calls, CancellationToken cancellationToken)
    {
        if (await SendOrGiveUpAsync(session, items, message, refusals, calls, cancellationToken) is { } refusal)
        {
            await IsolateAsync(session, items, refusal, refusals, calls, cancellationToken);
        }
    }

    /// <summary>
    /// Sends the items while isolation calls are left, answering Procore's message when it refused them as a whole; once
    /// none is left, the items are not sent and are reported as not written, with the refusal of the batch that held them.
    /// </summary>
    private async Task<string?> SendOrGiveUpAsync(Session session, LineItem[] items, string message, Dictionary<int, string> refusals,
        IsolationBudget calls, CancellationToken cancellationToken)
    {
        if (calls.TryTake())
        {
            return await TrySendAsync(session, items, refusals, calls, cancellationToken);
        }

        foreach (var item in items)
        {
            refusals[item.Index] = $"Not written: Procore refused a batch of lines holding this one ({message}), and which of them it "
                + $"refuses was not found within {MaxIsolationCalls} calls";
        }

        return null;
    }

    private static (LineItem[] First, LineItem[] Second) Halves(LineItem[] items) =>
        (items[..(items.Length / 2)], items[(items.Length / 2)..]);

    /// <summary>What of a chunk is still to write, judged by what Procore holds now.</summary>
    private async Task<LineItem[]> ReplanAsync(Session session, long budgetViewId, LineItem[] chunk, CancellationToken cancellationToken)
    {
        var lines = (await reader.ReadLineRowsAsync(session.Calls, session.ProjectId, budgetViewId, cancellationToken))
            .ToLookup(r => (r.CostCodeId!.Value, r.CategoryId!.Value));
        return
        [
            .. chunk.Select(item => lines[item.Key].ToList() switch
            {
                [] => item,
                [var line] when line.OriginalBudgetAmount == item.Write.OriginalBudgetAmount => null,
                [var line] => item with { Write = item.Write with { Id = line.Id } },
                _ => null,
            }).OfType<LineItem>(),
        ];
    }

    private static bool IsAmbiguous(Exception exception) =>
        exception is ProcoreServerException or HttpRequestException or TimeoutRejectedException or TimeoutException or SocketException;

    /// <summary>Whom the writes are for, the project written to, and what must hold before each write.</summary>
    private sealed record Session(CallContext Calls, long ProjectId, Func<CancellationToken, Task> BeforeEachWrite);

    /// <summary>The calls left to isolate refused lines within one chunk.</summary>
    private sealed class IsolationBudget(int calls)
    {
        private int left = calls;

        public bool TryTake() => left-- > 0;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The answer to a budget sync of {Count} lines was lost ({Reason}); reading the budget before sending any create again")]
    private partial void LogAmbiguous(int count, string reason);
}
