using System.Collections.Concurrent;
using BitcoinAutoTrading.Core.Notifications;

namespace BitcoinAutoTrading.IntegrationTests.Fakes;

/// <summary>Stands in for Slack where a test asserts what the trader is told; the Slack adapter has its own tests over HTTP.</summary>
public sealed class RecordingNotifier : INotifier
{
    private readonly ConcurrentQueue<(string Message, NotificationSeverity Severity)> _sent = new();

    public IReadOnlyList<(string Message, NotificationSeverity Severity)> Sent => _sent.ToList();

    public Task NotifyAsync(string message, NotificationSeverity severity, CancellationToken cancellationToken = default)
    {
        _sent.Enqueue((message, severity));
        return Task.CompletedTask;
    }
}
