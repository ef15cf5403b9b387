using System.Net.Http.Json;
using System.Text.Json.Serialization;
using BitcoinAutoTrading.Core.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BitcoinAutoTrading.Infrastructure.Notifications.Slack;

/// <summary>
/// Posts to a Slack incoming webhook. Best effort: any failure (timeout, 4xx/5xx, network, even the caller cancelling)
/// is logged without the URL and swallowed, so a notification can never fail or stall a trade.
/// </summary>
internal sealed partial class SlackNotifier(HttpClient http, IOptions<SlackOptions> options, ILogger<SlackNotifier> logger) : INotifier
{
    public async Task NotifyAsync(string message, NotificationSeverity severity, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.WebhookUrl))
        {
            LogDisabled(logger, severity);
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var response = await http.PostAsJsonAsync(settings.WebhookUrl, new SlackMessage(Format(message, severity)), timeout.Token)
                .ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                LogRejected(logger, (int)response.StatusCode);
            }
        }
        catch (OperationCanceledException)
        {
            LogTimedOut(logger, settings.Timeout);
        }
        catch (HttpRequestException ex)
        {
            // The exception's message can carry the host; only its category is logged.
            LogFailed(logger, ex.HttpRequestError.ToString());
        }
    }

    internal static string Format(string message, NotificationSeverity severity) => severity switch
    {
        NotificationSeverity.Critical => ":rotating_light: " + Escape(message),
        NotificationSeverity.Warning => ":warning: " + Escape(message),
        _ => ":information_source: " + Escape(message),
    };

    /// <summary>
    /// Slack reads <c>&lt;…&gt;</c> as a control sequence (<c>&lt;!channel&gt;</c> pings everyone, <c>&lt;url|text&gt;</c>
    /// disguises a link), so every text we pass on — halt reasons, error messages — has <c>&amp;</c>, <c>&lt;</c>,
    /// <c>&gt;</c> escaped as Slack's formatting rules ask (&amp; first, so the others are not escaped twice).
    /// </summary>
    internal static string Escape(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);

    private sealed record SlackMessage([property: JsonPropertyName("text")] string Text);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack is not configured (Slack:WebhookUrl empty); {Severity} notification skipped")]
    private static partial void LogDisabled(ILogger logger, NotificationSeverity severity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack refused the notification with status {StatusCode}")]
    private static partial void LogRejected(ILogger logger, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack notification gave up after {Timeout}")]
    private static partial void LogTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack notification failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
