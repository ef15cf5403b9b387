using System.ComponentModel.DataAnnotations;

namespace BitcoinAutoTrading.Infrastructure.Notifications.Slack;

/// <summary>Section <c>Slack</c>. The webhook URL is a secret (it alone authorises posting): never log it.</summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";

    /// <summary>Incoming-webhook URL; empty turns notifications off.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>A notification never holds up a trade for longer than this.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    internal bool IsValidWebhook() =>
        string.IsNullOrWhiteSpace(WebhookUrl)
        || (Uri.TryCreate(WebhookUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp));
}
