using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Infrastructure.Notifications.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BitcoinAutoTrading.Infrastructure.Notifications;

public static class NotificationsRegistration
{
    /// <summary>Registers <see cref="INotifier"/> as the Slack webhook notifier (a no-op without <c>Slack:WebhookUrl</c>).</summary>
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SlackOptions>()
            .BindConfiguration(SlackOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.IsValidWebhook(), "Slack:WebhookUrl must be an absolute http(s) URL when set.")
            .ValidateOnStart();
        // The webhook URL is the secret: the default HttpClient logging would write it on every request.
        builder.Services.AddHttpClient<SlackNotifier>(client => client.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        builder.Services.AddTransient<INotifier>(sp => sp.GetRequiredService<SlackNotifier>());
        return builder;
    }
}
