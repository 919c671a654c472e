namespace ErpFunctions.Queueing;

/// <summary>What the worker does with one kind of message, and what it does once the queue gives up on one.</summary>
public interface IWorkHandler
{
    Task HandleAsync(ReimportMessage message, CancellationToken cancellationToken);

    /// <summary>The message failed <c>maxDequeueCount</c> times and reached the poison queue.</summary>
    Task GiveUpAsync(ReimportMessage message, CancellationToken cancellationToken);
}
