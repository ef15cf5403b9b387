using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BitcoinAutoTrading.Core.Notifications;
using BitcoinAutoTrading.Infrastructure.Notifications;
using BitcoinAutoTrading.IntegrationTests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace BitcoinAutoTrading.IntegrationTests.Notifications;

public sealed class SlackNotifierTests : IDisposable
{
    // The path is the secret part of a real webhook URL.
    private const string WebhookPath = "/services/T000SECRET/B000SECRET/XXXXsecretXXXX";
    private readonly WireMockServer _slack = WireMockServer.Start();
    private readonly CapturingLoggerProvider _logs = new();

    public void Dispose() => _slack.Stop();

    [Fact]
    public async Task NotifyAsync_Configured_PostsTextToWebhook()
    {
        _slack.Given(Request.Create().WithPath(WebhookPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
        using var host = BuildHost(_slack.Url + WebhookPath);

        await host.Services.GetRequiredService<INotifier>().NotifyAsync("BUY filled 0.001 BTC", NotificationSeverity.Info);

        var entry = Assert.Single(_slack.LogEntries);
        Assert.Contains("\"text\":", entry.RequestMessage.Body, StringComparison.Ordinal);
        Assert.Contains("BUY filled 0.001 BTC", entry.RequestMessage.Body, StringComparison.Ordinal);
        AssertWebhookNeverLogged();
    }

    [Fact]
    public async Task NotifyAsync_TextWithSlackControlSequences_ArrivesEscapedSoNobodyIsPinged()
    {
        _slack.Given(Request.Create().WithPath(WebhookPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
        using var host = BuildHost(_slack.Url + WebhookPath);

        await host.Services.GetRequiredService<INotifier>().NotifyAsync(
            "Trading halted: <!channel> R&D says <https://evil.example|update> now & then <@U123> > 5 < 6 &amp;", NotificationSeverity.Critical);

        var entry = Assert.Single(_slack.LogEntries);
        var text = System.Text.Json.JsonDocument.Parse(entry.RequestMessage.Body!).RootElement.GetProperty("text").GetString()!;
        Assert.Equal(
            ":rotating_light: Trading halted: &lt;!channel&gt; R&amp;D says &lt;https://evil.example|update&gt; now &amp; then &lt;@U123&gt; &gt; 5 &lt; 6 &amp;amp;",
            text);
        Assert.DoesNotContain('<', text);
        Assert.DoesNotContain('>', text);
    }

    [Fact]
    public async Task NotifyAsync_SlackFails_DoesNotThrowAndLogsWithoutUrl()
    {
        _slack.Given(Request.Create().WithPath(WebhookPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(500));
        using var host = BuildHost(_slack.Url + WebhookPath);

        await host.Services.GetRequiredService<INotifier>().NotifyAsync("stop-loss hit", NotificationSeverity.Critical);

        Assert.Single(_slack.LogEntries);
        Assert.Contains(_logs.Lines, l => l.Contains("status 500", StringComparison.Ordinal));
        AssertWebhookNeverLogged();
    }

    [Fact]
    public async Task NotifyAsync_SlackHangs_ReturnsWithinTimeout()
    {
        _slack.Given(Request.Create().WithPath(WebhookPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(2)));
        using var host = BuildHost(_slack.Url + WebhookPath, timeout: "00:00:00.300");

        var stopwatch = Stopwatch.StartNew();
        await host.Services.GetRequiredService<INotifier>().NotifyAsync("slow", NotificationSeverity.Warning);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1.5), $"took {stopwatch.Elapsed}");
        AssertWebhookNeverLogged();
    }

    [Fact]
    public async Task NotifyAsync_Unreachable_DoesNotThrow()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var host = BuildHost($"http://127.0.0.1:{port}{WebhookPath}");

        await host.Services.GetRequiredService<INotifier>().NotifyAsync("nobody listens", NotificationSeverity.Info);

        AssertWebhookNeverLogged();
    }

    [Fact]
    public async Task NotifyAsync_NoWebhook_SendsNothing()
    {
        using var host = BuildHost(null);

        await host.Services.GetRequiredService<INotifier>().NotifyAsync("quiet", NotificationSeverity.Info);

        Assert.Empty(_slack.LogEntries);
        Assert.Contains(_logs.Lines, l => l.StartsWith("Debug", StringComparison.Ordinal) && l.Contains("not configured", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WebhookNotAUrl_FailsValidation()
    {
        using var host = BuildHost("hooks.slack.com/services/x");

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Slack:WebhookUrl", error.Message, StringComparison.Ordinal);
    }

    private void AssertWebhookNeverLogged() =>
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("SECRET", StringComparison.Ordinal) || l.Contains("secretXXXX", StringComparison.Ordinal));

    private IHost BuildHost(string? webhookUrl, string timeout = "00:00:05")
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:WebhookUrl"] = webhookUrl,
            ["Slack:Timeout"] = timeout,
        });
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        builder.AddNotifications();
        return builder.Build();
    }
}
