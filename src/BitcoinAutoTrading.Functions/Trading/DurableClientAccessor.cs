using Microsoft.DurableTask.Client;

namespace BitcoinAutoTrading.Functions.Trading;

/// <summary>
/// Hands the <see cref="DurableTaskClient"/> of a function invocation to services. The isolated worker only gives the
/// client to functions through <c>[DurableClient]</c>, so a function that may start or inspect orders calls
/// <see cref="Use"/> with its client first. The value flows with the invocation's async context; the last client seen
/// is kept as a fallback because the worker's client is one long-lived connection to the host.
/// </summary>
public sealed class DurableClientAccessor
{
    private readonly AsyncLocal<DurableTaskClient?> _current = new();
    private DurableTaskClient? _last;

    /// <summary>The invocation's client, else the last one any function handed over; null before the first.</summary>
    public DurableTaskClient? Client => _current.Value ?? Volatile.Read(ref _last);

    public void Use(DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _current.Value = client;
        Volatile.Write(ref _last, client);
    }

    public DurableTaskClient Required => Client ?? throw new InvalidOperationException(
        "No DurableTaskClient: the calling function must take [DurableClient] DurableTaskClient and pass it to DurableClientAccessor.Use.");
}
